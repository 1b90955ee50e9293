// The chat's Markdown: markdown-it with raw HTML off and only the constructs a chat message needs (as in
// Slack/Mattermost): bold, italic, strikethrough, code, fenced code blocks, quotes, lists, links, bare URLs,
// `:emoji:` and `@mentions`. Headings, tables, images, rules, reference links and indented code blocks are
// off, so `# x`, `---` or an indented log line read as typed. Pure: runs in Node and the browser.
import markdownIt from "markdown-it";
import type { Token } from "markdown-it";
import { full as emojiPlugin } from "markdown-it-emoji";
import { isAllowedHref } from "./links";
import { mentionPlugin } from "./mentions";
import { buildTree } from "./build-tree";
import type { MdNode } from "./tree";

function createParser() {
  const md = markdownIt("default", { html: false, linkify: true, breaks: true, typographer: false, maxNesting: 20 });
  md.disable(["heading", "lheading", "table", "image", "hr", "reference", "code", "html_block", "html_inline"]);
  // `&amp;` shows as typed, like every other character
  md.disable("entity");
  // bare scheme URLs and e-mail addresses only: `index.js` or `main.py` are file names, not links
  md.linkify.set({ fuzzyLink: false, fuzzyEmail: true, fuzzyIP: false });
  md.validateLink = isAllowedHref;
  md.use(emojiPlugin, { shortcuts: {} });
  md.use(mentionPlugin);
  return md;
}

let parser: ReturnType<typeof createParser> | undefined;

/** The source's tokens (markdown-it's flat stream). */
export function tokenize(source: string): Token[] {
  parser ??= createParser();
  return parser.parse(source, {});
}

/** `source` as the tree of allowed nodes every renderer walks. */
export function parseMarkdown(source: string): MdNode[] {
  return buildTree(tokenize(source));
}
