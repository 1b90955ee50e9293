// The safe tree a message's Markdown becomes: only these node kinds exist, so every renderer (React, terminal,
// plain text) can only produce what it has a case for. Nothing here is HTML.

/** Nodes that only hold other nodes. */
export type ContainerKind = "paragraph" | "strong" | "em" | "strike" | "blockquote" | "item";

export type MdNode =
  | { kind: "text"; text: string }
  | { kind: "break" }
  /** inline code */
  | { kind: "code"; text: string }
  /** a fenced code block; `lang` is the word after the opening fence ("" when none) */
  | { kind: "codeBlock"; text: string; lang: string }
  /** `:tada:` → `{ name: "tada", text: "🎉" }` */
  | { kind: "emoji"; name: string; text: string }
  /** `@name` outside code and links (who it means is the server's business: SPEC "Mentions") */
  | { kind: "mention"; name: string }
  /** href is always http:, https: or mailto: (see links.ts); `auto` when it came from a bare URL */
  | { kind: "link"; href: string; auto: boolean; children: MdNode[] }
  | { kind: "list"; ordered: boolean; start: number; children: MdNode[] }
  | { kind: ContainerKind; children: MdNode[] };

export type MdContainer = Extract<MdNode, { children: MdNode[] }>;
