// A markdown-it core rule that turns `@name` in plain text into `mention` tokens, so renderers can show them
// (the web UI highlights them through MessageBody's `renderMention`). Code spans, code blocks and link texts
// are left alone; `bob@example.com` is not a mention.
import type { MarkdownIt, StateCore, Token } from "markdown-it";

/** `@` not after a name character, then a username (SPEC: letters, digits, `_ . -`), not ending in `.` or `-`. */
const MENTION = /(^|[^A-Za-z0-9_.@-])@([A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?)/g;

/** `text` cut into plain strings and mentioned names. */
export function splitMentions(text: string): Array<string | { mention: string }> {
  const parts: Array<string | { mention: string }> = [];
  let last = 0;
  for (const match of text.matchAll(MENTION)) {
    const [whole, before = "", name = ""] = match;
    const at = match.index + before.length;
    if (at > last) parts.push(text.slice(last, at));
    parts.push({ mention: name });
    last = match.index + whole.length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}

function mentionTokens(state: StateCore, text: string): Token[] {
  return splitMentions(text).map((part) => {
    const token = new state.Token(typeof part === "string" ? "text" : "mention", "", 0);
    if (typeof part === "string") token.content = part;
    else token.meta = { name: part.mention };
    return token;
  });
}

function replaceMentions(state: StateCore): void {
  for (const block of state.tokens) {
    if (block.type !== "inline" || !block.children) continue;
    let inLink = 0;
    block.children = block.children.flatMap((token) => {
      if (token.type === "link_open") inLink++;
      if (token.type === "link_close") inLink--;
      if (token.type !== "text" || inLink > 0 || !token.content.includes("@")) return [token];
      return mentionTokens(state, token.content);
    });
  }
}

export function mentionPlugin(md: MarkdownIt): void {
  md.core.ruler.push("mention", replaceMentions);
}
