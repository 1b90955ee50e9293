// markdown-it's flat token stream → the MdNode tree. An allow-list: a token type without a case here can only
// become its own text, so a parser rule enabled by mistake still cannot add an element.
import type { Token } from "markdown-it";
import { isAllowedHref } from "./links";
import type { ContainerKind, MdContainer, MdNode } from "./tree";

const CONTAINERS: Record<string, ContainerKind> = {
  paragraph_open: "paragraph",
  strong_open: "strong",
  em_open: "em",
  s_open: "strike",
  blockquote_open: "blockquote",
  list_item_open: "item",
};

/** A node for an opening token, or null to keep its children in the parent (tight lists' hidden paragraphs). */
function open(token: Token): MdContainer | null {
  if (token.hidden) return null;
  const kind = CONTAINERS[token.type];
  if (kind) return { kind, children: [] };
  if (token.type === "bullet_list_open") return { kind: "list", ordered: false, start: 1, children: [] };
  if (token.type === "ordered_list_open") {
    const start = Number(token.attrGet("start") ?? 1);
    return { kind: "list", ordered: true, start: Number.isSafeInteger(start) ? start : 1, children: [] };
  }
  if (token.type === "link_open") {
    const href = String(token.attrGet("href") ?? "");
    // markdown-it validated it already; checked again so no other path can add a link
    if (isAllowedHref(href)) return { kind: "link", href, auto: token.markup === "linkify", children: [] };
  }
  return null;
}

/** A node for a token with no children, or null for none. */
function leaf(token: Token): MdNode | null {
  switch (token.type) {
    case "text":
      return token.content ? { kind: "text", text: token.content } : null;
    case "softbreak":
    case "hardbreak":
      return { kind: "break" };
    case "code_inline":
      return { kind: "code", text: token.content };
    case "fence":
      return {
        kind: "codeBlock",
        text: token.content.replace(/\n$/, ""),
        lang: token.info.trim().split(/\s+/)[0] ?? "",
      };
    case "emoji":
      return { kind: "emoji", name: token.markup, text: token.content };
    case "mention": {
      const name: unknown = (token.meta as { name?: unknown } | null)?.name;
      return typeof name === "string" ? { kind: "mention", name } : null;
    }
    default:
      return token.content ? { kind: "text", text: token.content } : null;
  }
}

export function buildTree(tokens: readonly Token[]): MdNode[] {
  const root: MdNode[] = [];
  // each open token pushes its node (or null when its children stay in the parent)
  const stack: Array<{ node: MdContainer | null; children: MdNode[] }> = [{ node: null, children: root }];
  const add = (node: MdNode) => stack[stack.length - 1]?.children.push(node);
  const walk = (list: readonly Token[]) => {
    for (const token of list) {
      if (token.type === "inline") walk(token.children ?? []);
      else if (token.nesting === 1) {
        const node = open(token);
        const parent = stack[stack.length - 1]?.children ?? root;
        if (node) parent.push(node);
        stack.push({ node, children: node ? node.children : parent });
      } else if (token.nesting === -1) {
        if (stack.length > 1) stack.pop();
      } else {
        const node = leaf(token);
        if (node) add(node);
      }
    }
  };
  walk(tokens);
  return root;
}
