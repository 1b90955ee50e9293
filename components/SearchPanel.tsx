"use client";
import { authorLabel } from "@/lib/text/author";
import type { SearchResult } from "@/lib/protocol";
import type { ChatTarget } from "@/lib/web/routes";
import { HighlightedText } from "./HighlightedText";

export interface ResultGroup {
  room: string;
  title: string;
  target: ChatTarget;
  results: SearchResult[];
}

interface Props {
  query: string;
  groups: ResultGroup[];
  state: "loading" | "ready" | { error: string };
  hasMore: boolean;
  onMore: () => void;
  onOpen: (target: ChatTarget, id: number) => void;
  onClose: () => void;
}

const when = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });

/** The results of a search beside the conversation, grouped by room, newest first within each. */
export function SearchPanel({ query, groups, state, hasMore, onMore, onOpen, onClose }: Props) {
  const count = groups.reduce((n, g) => n + g.results.length, 0);
  return (
    <aside className="search-panel" aria-label="Search results" data-testid="search-panel">
      <div className="search-panel-head">
        <h2>
          Results for <q>{query}</q>
        </h2>
        <button type="button" className="search-close" onClick={onClose} aria-label="Close search results">
          ×
        </button>
      </div>
      {typeof state === "object" ? (
        <p className="search-error" role="alert">
          {state.error}
        </p>
      ) : null}
      {state === "ready" && count === 0 ? <p className="search-empty">No messages match.</p> : null}
      <div className="search-groups">
        {groups.map((g) => (
          <section key={g.room} className="search-group" aria-label={g.title}>
            <h3>{g.title}</h3>
            <ul>
              {g.results.map((r) => (
                <li key={r.message.id}>
                  <button
                    type="button"
                    className="search-result"
                    data-testid="search-result"
                    onClick={() => onOpen(g.target, r.message.id)}
                  >
                    <span className="search-meta">
                      <strong>{authorLabel(r.message)}</strong>{" "}
                      <time dateTime={r.message.timestamp}>{when(r.message.timestamp)}</time>
                    </span>
                    <span className="search-text" dir="auto">
                      <HighlightedText result={r} />
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          </section>
        ))}
      </div>
      {state === "loading" ? <p className="search-loading">Searching…</p> : null}
      {hasMore && state !== "loading" ? (
        <button type="button" className="search-more" onClick={onMore}>
          Load more
        </button>
      ) : null}
    </aside>
  );
}
