// Whatever a message says, MessageBody's HTML holds only the allowed elements and attributes (parsed back with
// a real HTML parser, so anything that slipped through as markup would show up as an element or attribute).
import fc from "fast-check";
import { parseFragment, type DefaultTreeAdapterMap } from "parse5";
import { describe, expect, it } from "vitest";
import { renderBody } from "../helpers/render-message-body";

type Node = DefaultTreeAdapterMap["childNode"];

/** element → attribute → what its value must match */
const ALLOWED: Record<string, Record<string, RegExp>> = {
  // dir: each paragraph and item takes its own direction; code reads left to right
  p: { dir: /^auto$/ },
  br: {},
  strong: {},
  em: {},
  s: {},
  code: {},
  pre: { tabindex: /^0$/, dir: /^ltr$/ },
  blockquote: {},
  ul: {},
  ol: { start: /^\d+$/ },
  li: { dir: /^auto$/ },
  a: { href: /^(https?:\/\/|mailto:)/i, rel: /^noopener noreferrer nofollow$/, target: /^_blank$/ },
  span: { class: /^md-emoji$/, title: /^:[^\s:]+:$/ },
};
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

/** The first thing in the tree that is not allowed, or null. */
function violation(nodes: readonly Node[]): string | null {
  for (const node of nodes) {
    if (node.nodeName === "#text") {
      if ("value" in node && CONTROL.test(node.value)) return `control character in ${JSON.stringify(node.value)}`;
      continue;
    }
    if (!("tagName" in node)) return `unexpected node ${node.nodeName}`;
    const attributes = ALLOWED[node.tagName];
    if (!attributes) return `element <${node.tagName}>`;
    for (const { name, value } of node.attrs) {
      const pattern = attributes[name];
      if (!pattern || !pattern.test(value)) return `<${node.tagName} ${name}="${value}">`;
    }
    if (node.tagName === "a" && node.attrs.length !== 3) return "a link without all of href, rel and target";
    const inside = violation(node.childNodes);
    if (inside) return inside;
  }
  return null;
}

const check = (content: string) => {
  const html = renderBody(content);
  const problem = violation(parseFragment(html).childNodes);
  if (problem) throw new Error(`${problem}\n  from ${JSON.stringify(content)}\n  html ${html}`);
};

/** Pieces of Markdown, HTML and URLs that parsers and sanitizers get wrong, to be strung together. */
const FRAGMENTS = [
  "**",
  "*",
  "_",
  "__",
  "~~",
  "~",
  "`",
  "```",
  "```js\n",
  "\n",
  "\n\n",
  "  ",
  "\t",
  "> ",
  ">> ",
  "- ",
  "* ",
  "1. ",
  "10) ",
  "# ",
  "---",
  "|",
  "| a |",
  "[",
  "]",
  "(",
  ")",
  "](",
  "![",
  "<",
  ">",
  "&",
  "&lt;",
  "&#60;",
  "&#x3C;",
  "\\",
  '"',
  "'",
  "=",
  "a",
  "word",
  "@bob",
  "@",
  ":tada:",
  ":+1:",
  ":",
  "https://example.com/a_(b)",
  "http://",
  "mailto:a@b.co",
  "a@b.co",
  "javascript:alert(1)",
  "JAVASCRIPT:",
  "java\tscript:",
  "data:text/html,",
  "vbscript:",
  "<img src=x onerror=alert(1)>",
  "<script>alert(1)</script>",
  '<a href="javascript:x">',
  "</a>",
  "<p>",
  "<iframe>",
  "<svg onload=alert(1)>",
  "<!--",
  "-->",
  "<style>",
  "\u0000",
  "\u0007",
  "\u001b[31m",
  "\u009b",
  "\u0085",
  "\u007f",
  "\u202e",
  "\ufeff",
  "🎉",
  "  \n",
  "www.example.com",
];
const fragments = fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 40 }).map((parts) => parts.join(""));

describe("MessageBody fuzzing", () => {
  it("renders only allowed elements and attributes for arbitrary strings", () => {
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 300 }), check), { numRuns: 300 });
  });

  it("renders only allowed elements and attributes for strings of Markdown and HTML fragments", () => {
    fc.assert(fc.property(fragments, check), { numRuns: 800 });
  });

  it("recognises a violation (the checker itself is not blind)", () => {
    const bad = parseFragment('<p><img src=x></p><a href="javascript:x" rel="x">y</a>').childNodes;
    expect(violation(bad)).toBe("element <img>");
    expect(violation(parseFragment('<a href="javascript:x">y</a>').childNodes)).toMatch(/href/);
    expect(violation(parseFragment('<span class="md-emoji" onclick="x">y</span>').childNodes)).toMatch(/onclick/);
    expect(violation(parseFragment("<p>a\u0007</p>").childNodes)).toMatch(/control character/);
  });
});
