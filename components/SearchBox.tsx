"use client";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useId, useRef, useState } from "react";
import { useChat, useChatState } from "@/hooks/useChat";
import { useEscapeCloses } from "@/hooks/useEscapeCloses";
import type { RoomSummary, SearchResult } from "@/lib/protocol";
import { suggest } from "@/lib/search/suggest";
import { messageHref, type ChatTarget } from "@/lib/web/routes";
import { SearchPanel, type ResultGroup } from "./SearchPanel";
import "./search.css";
import { useModKey } from "./ShortcutSheet";

type Status = "loading" | "ready" | { error: string };
interface Search {
  q: string;
  results: SearchResult[];
  next: string | null;
  status: Status;
}

/** Results by room, rooms in the order of their newest hit. */
function groupByRoom(results: SearchResult[], rooms: RoomSummary[]): ResultGroup[] {
  const groups = new Map<string, ResultGroup>();
  for (const r of results) {
    const room = r.message.room;
    let g = groups.get(room);
    if (!g) {
      const peer = rooms.find((s) => s.name === room)?.peer;
      const target: ChatTarget = peer ? { kind: "dm", peer } : { kind: "room", name: room };
      g = { room, title: peer ? `@${peer}` : `# ${room}`, target, results: [] };
      groups.set(room, g);
    }
    g.results.push(r);
  }
  return [...groups.values()];
}

const typingIn = (el: Element | null) =>
  el instanceof HTMLElement && (el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName));

/** the width below which the results panel covers the conversation (components/search.css) */
const PANEL_COVERS = "(max-width: 720px)";

/** The top bar's search: `/` or Ctrl+F focuses it, operators are suggested, Enter opens the results panel. */
export function SearchBox() {
  const client = useChat();
  const router = useRouter();
  const rooms = useChatState((s) => s.rooms);
  const users = useChatState((s) => s.users);
  const [text, setText] = useState("");
  const [search, setSearch] = useState<Search | null>(null);
  const [active, setActive] = useState(-1);
  const [focused, setFocused] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const listId = useId();
  const mod = useModKey();
  const suggestions = focused
    ? suggest(
        text,
        users.map((u) => u.username),
        rooms,
      )
    : [];

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const find = (e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "f";
      if (!find && !(e.key === "/" && !typingIn(document.activeElement))) return;
      e.preventDefault();
      input.current?.focus();
      input.current?.select();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);

  const closeResults = useCallback(() => setSearch(null), []);
  useEscapeCloses(search !== null, closeResults);

  const run = useCallback(
    (q: string, from: Search | null) => {
      setSearch({ q, results: from?.results ?? [], next: from?.next ?? null, status: "loading" });
      client.search(q, from?.next ?? null).then(
        (page) =>
          setSearch({ q, results: [...(from?.results ?? []), ...page.results], next: page.next, status: "ready" }),
        (err: unknown) =>
          setSearch({
            q,
            results: from?.results ?? [],
            next: null,
            status: { error: err instanceof Error ? err.message : String(err) },
          }),
      );
    },
    [client],
  );

  const submit = (q: string) => {
    if (!q.trim()) return;
    run(q.trim(), null);
  };

  const onKeyDown = (e: React.KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "ArrowDown" && suggestions.length) {
      e.preventDefault();
      setActive((a) => (a + 1) % suggestions.length);
    } else if (e.key === "ArrowUp" && suggestions.length) {
      e.preventDefault();
      setActive((a) => (a <= 0 ? suggestions.length - 1 : a - 1));
    } else if (e.key === "Enter") {
      e.preventDefault();
      const picked = suggestions[active];
      if (picked) {
        setText(picked.query);
        setActive(-1);
      } else submit(text);
    } else if (e.key === "Escape") {
      if (suggestions.length && active >= 0) setActive(-1);
      else if (search) setSearch(null);
      else input.current?.blur();
    }
  };

  // where the results cover the conversation (a phone), opening one puts them away to show it
  const open = (target: ChatTarget, id: number) => {
    if (window.matchMedia(PANEL_COVERS).matches) setSearch(null);
    router.push(messageHref(target, id));
  };

  return (
    <div className="search-box" role="search">
      <input
        ref={input}
        type="search"
        className="search-input"
        placeholder={`Search (${mod}+F)`}
        aria-label="Search messages"
        // a combobox, so that aria-expanded and its listbox are allowed (axe: aria-allowed-attr)
        role="combobox"
        aria-autocomplete="list"
        aria-controls={listId}
        aria-expanded={suggestions.length > 0}
        aria-activedescendant={active >= 0 ? `${listId}-${active}` : undefined}
        value={text}
        maxLength={500}
        onChange={(e) => {
          setText(e.target.value);
          setActive(-1);
        }}
        onFocus={() => setFocused(true)}
        onBlur={() => setFocused(false)}
        onKeyDown={onKeyDown}
      />
      {suggestions.length ? (
        <ul id={listId} role="listbox" className="search-suggestions" aria-label="Suggestions">
          {suggestions.map((s, i) => (
            <li
              key={s.label}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              onMouseDown={(e) => {
                e.preventDefault(); // keep the focus in the box
                setText(s.query);
                setActive(-1);
              }}
            >
              {s.label}
            </li>
          ))}
        </ul>
      ) : null}
      {search ? (
        <SearchPanel
          query={search.q}
          groups={groupByRoom(search.results, rooms)}
          state={search.status}
          hasMore={search.next !== null}
          onMore={() => run(search.q, search)}
          onOpen={open}
          onClose={closeResults}
        />
      ) : null}
    </div>
  );
}
