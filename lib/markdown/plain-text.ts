// The Markdown tree as plain text: the terminal's rendering (with ANSI styles passed in) and the one-line
// excerpts (reply quotes) of the web UI. URLs stay visible: a link whose text differs reads `text <url>`.
import { parseMarkdown } from "./parser";
import type { MdNode } from "./tree";

type Wrap = (text: string) => string;

/** How inline constructs look; each defaults to the bare text (inline code keeps its backticks). */
export interface TextStyles {
  strong?: Wrap;
  em?: Wrap;
  strike?: Wrap;
  code?: Wrap;
  codeBlock?: Wrap;
  url?: Wrap;
  mention?: Wrap;
}

const same: Wrap = (text) => text;
const prefixLines = (text: string, first: string, rest: string) =>
  text
    .split("\n")
    .map((line, i) => (i === 0 ? first : rest) + line)
    .join("\n");

/** The link's text, and its URL too when the text is something else. */
function linkText(node: Extract<MdNode, { kind: "link" }>, styles: TextStyles): string {
  const text = inline(node.children, {});
  const shown = node.href.startsWith("mailto:") ? node.href.slice("mailto:".length) : node.href;
  const url = (styles.url ?? same)(shown);
  return text === shown || text === node.href ? url : `${inline(node.children, styles)} <${url}>`;
}

function inline(nodes: readonly MdNode[], styles: TextStyles): string {
  return nodes.map((node) => inlineNode(node, styles)).join("");
}

function inlineNode(node: MdNode, styles: TextStyles): string {
  switch (node.kind) {
    case "text":
      return node.text;
    case "break":
      return "\n";
    case "code":
      return styles.code ? styles.code(node.text) : `\`${node.text}\``;
    case "emoji":
      return node.text;
    case "mention":
      return (styles.mention ?? same)(`@${node.name}`);
    case "link":
      return linkText(node, styles);
    case "strong":
    case "em":
    case "strike":
      return (styles[node.kind] ?? same)(inline(node.children, styles));
    default:
      return blocks([node], styles);
  }
}

function listText(node: Extract<MdNode, { kind: "list" }>, styles: TextStyles): string {
  return node.children
    .map((item, i) => {
      const marker = node.ordered ? `${node.start + i}. ` : "• ";
      const body = "children" in item ? blocks(item.children, styles, "\n") : inlineNode(item, styles);
      return prefixLines(body, marker, " ".repeat(marker.length));
    })
    .join("\n");
}

function block(node: MdNode, styles: TextStyles): string {
  switch (node.kind) {
    case "paragraph":
      return inline(node.children, styles);
    case "codeBlock":
      // styled line by line, so a terminal's colour never runs into the indent or the next line
      return node.text
        .split("\n")
        .map((line) => `    ${(styles.codeBlock ?? same)(line)}`)
        .join("\n");
    case "blockquote":
      return prefixLines(blocks(node.children, styles), "> ", "> ");
    case "list":
      return listText(node, styles);
    case "item":
      return blocks(node.children, styles, "\n");
    default:
      return inlineNode(node, styles);
  }
}

/** Blocks apart by a blank line, as they were typed; runs of inline nodes (in tight list items) kept together. */
function blocks(nodes: readonly MdNode[], styles: TextStyles, gap = "\n\n"): string {
  const parts: string[] = [];
  let run = "";
  for (const node of nodes) {
    if (isInline(node)) run += inlineNode(node, styles);
    else {
      if (run) parts.push(run);
      run = "";
      parts.push(block(node, styles));
    }
  }
  if (run) parts.push(run);
  return parts.join(gap);
}

const INLINE_KINDS = new Set<MdNode["kind"]>([
  "text",
  "break",
  "code",
  "emoji",
  "mention",
  "link",
  "strong",
  "em",
  "strike",
]);
const isInline = (node: MdNode) => INLINE_KINDS.has(node.kind);

/** `source` (Markdown) as plain text, styled by `styles`. */
export function markdownToText(source: string, styles: TextStyles = {}): string {
  return blocks(parseMarkdown(source), styles);
}
