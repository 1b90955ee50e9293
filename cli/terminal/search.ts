// /search <query>: a page of results from the server, printed above the prompt; a bare /search prints the
// next page of the last one.
import { searchMessages } from "../api";
import { sanitizeInline } from "../sanitize";
import { formatSearchResult } from "../search-render";
import type { TerminalChat } from "./context";

interface LastSearch {
  q: string;
  next: string | null;
}
const lastSearch = new WeakMap<TerminalChat, LastSearch>();

export async function search(chat: TerminalChat, query: string | undefined): Promise<void> {
  const { screen, serverUrl, login, me } = chat;
  const last = lastSearch.get(chat);
  if (query === undefined && !last?.next) {
    screen.warn(
      last ? "! no more results" : 'Usage: /search <words, "a phrase", from:user, in:room, before:/after:YYYY-MM-DD>',
    );
    return;
  }
  const q = query ?? last!.q;
  const page = await searchMessages(serverUrl, login.token, q, query === undefined ? last!.next : null);
  lastSearch.set(chat, { q, next: page.next });
  const color = screen.color;
  const lines = page.results.map((r) => formatSearchResult(r, { color, me }));
  const more = page.next ? `\n(more: /search)` : "";
  // a heading per page, so that one search's results do not run into the next's
  const count = `${lines.length} ${query === undefined ? "more " : ""}result${lines.length === 1 ? "" : "s"}`;
  if (lines.length)
    screen.info(`── ${count} for “${sanitizeInline(q)}”${page.next ? ", more with /search" : ", the last"} ──`);
  if (lines.length) screen.print(`${lines.join("\n")}${more}`);
  else screen.info(query === undefined ? "no more results" : `no results for ${sanitizeInline(q)}`);
  screen.refreshPrompt();
}
