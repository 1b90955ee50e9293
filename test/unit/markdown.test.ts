import { createElement } from "react";
import { describe, expect, it } from "vitest";
import { firstLine } from "../../components/ReplyQuote";
import { markdownToText } from "../../lib/markdown/plain-text";
import { renderBody } from "../helpers/render-message-body";

describe("MessageBody: the Markdown subset", () => {
  it("renders bold, italic, strikethrough and inline code", () => {
    expect(renderBody("**b** *i* _j_ ~~s~~ `c`")).toBe(
      '<p dir="auto"><strong>b</strong> <em>i</em> <em>j</em> <s>s</s> <code>c</code></p>',
    );
  });

  it("renders a fenced code block verbatim, markup inside it untouched", () => {
    expect(renderBody("```ts\nconst a = **1** < 2;\n  <b>x</b>\n```")).toBe(
      '<pre tabindex="0" dir="ltr"><code>const a = **1** &lt; 2;\n  &lt;b&gt;x&lt;/b&gt;</code></pre>',
    );
  });

  it("renders block quotes and lists, nested", () => {
    expect(renderBody("> quoted **bold**")).toBe(
      '<blockquote><p dir="auto">quoted <strong>bold</strong></p></blockquote>',
    );
    expect(renderBody("- a\n- b\n  - c")).toBe(
      '<ul><li dir="auto">a</li><li dir="auto">b<ul><li dir="auto">c</li></ul></li></ul>',
    );
    expect(renderBody("1. x\n2. y")).toBe('<ol><li dir="auto">x</li><li dir="auto">y</li></ol>');
    expect(renderBody("3. x\n4. y")).toBe('<ol start="3"><li dir="auto">x</li><li dir="auto">y</li></ol>');
    expect(renderBody("**bold _and italic_ `code`**")).toBe(
      '<p dir="auto"><strong>bold <em>and italic</em> <code>code</code></strong></p>',
    );
  });

  it("keeps line breaks and paragraphs", () => {
    expect(renderBody("a\nb\n\nc")).toBe('<p dir="auto">a<br/>b</p><p dir="auto">c</p>');
  });

  it("links bare URLs, e-mail addresses and [text](url) with rel and target", () => {
    const attrs = 'rel="noopener noreferrer nofollow" target="_blank"';
    expect(renderBody("see https://example.com/a?b=1&c=2.")).toBe(
      `<p dir="auto">see <a href="https://example.com/a?b=1&amp;c=2" ${attrs}>https://example.com/a?b=1&amp;c=2</a>.</p>`,
    );
    expect(renderBody("[docs](http://docs.example.org)")).toBe(
      `<p dir="auto"><a href="http://docs.example.org" ${attrs}>docs</a></p>`,
    );
    expect(renderBody("mail bob@example.com")).toBe(
      `<p dir="auto">mail <a href="mailto:bob@example.com" ${attrs}>bob@example.com</a></p>`,
    );
    // file names are not web sites
    expect(renderBody("edit index.js and main.py")).toBe('<p dir="auto">edit index.js and main.py</p>');
  });

  it("never makes a link of javascript:, data:, vbscript:, file: or relative URLs", () => {
    for (const url of [
      "javascript:alert(1)",
      "JaVaScRiPt:alert(1)",
      "data:text/html,x",
      "vbscript:x",
      "file:///etc/passwd",
      "/rooms",
    ]) {
      const html = renderBody(`[click](${url}) <${url}> ${url}`);
      expect(html, url).not.toContain("<a");
      expect(html, url).toContain("click");
    }
  });

  it("shows raw HTML as text", () => {
    expect(renderBody("<img src=x onerror=alert(1)>")).toBe('<p dir="auto">&lt;img src=x onerror=alert(1)&gt;</p>');
    expect(renderBody("<script>alert(1)</script>\n\n<div>x</div>")).toBe(
      '<p dir="auto">&lt;script&gt;alert(1)&lt;/script&gt;</p><p dir="auto">&lt;div&gt;x&lt;/div&gt;</p>',
    );
    expect(renderBody("&lt;b&gt; &amp;")).toBe('<p dir="auto">&amp;lt;b&amp;gt; &amp;amp;</p>');
  });

  it("leaves headings, rules, tables, images and indented code as typed", () => {
    expect(renderBody("# not a heading")).toBe('<p dir="auto"># not a heading</p>');
    expect(renderBody("text\n---")).toBe('<p dir="auto">text<br/>---</p>');
    expect(renderBody("| a | b |\n|---|---|\n| 1 | 2 |")).not.toMatch(/<table|<h\d/);
    expect(renderBody("![alt](https://example.com/x.png)")).not.toContain("<img");
    expect(renderBody("    indented log line")).toBe('<p dir="auto">indented log line</p>');
  });

  it("turns :shortcodes: into emoji, not inside code, and leaves unknown ones and :) alone", () => {
    expect(renderBody(":tada: :+1: `:tada:` :nosuchemoji: :)")).toBe(
      '<p dir="auto"><span class="md-emoji" title=":tada:">🎉</span> <span class="md-emoji" title=":+1:">👍</span> <code>:tada:</code> :nosuchemoji: :)</p>',
    );
  });

  it("drops control characters (bar newline and tab) before rendering", () => {
    expect(renderBody("a\u0000b\u0007c\u001b[31md\u0085e\u007ff\tg")).toBe('<p dir="auto">abcdef\tg</p>');
  });

  it("offers mentions to renderMention, never inside code or link text", () => {
    const renderMention = (name: string) => createElement("mark", { "data-user": name }, `@${name}`);
    expect(renderBody("hi @bob and @carol. `@dave` bob@example.com", { renderMention })).toBe(
      '<p dir="auto">hi <mark data-user="bob">@bob</mark> and <mark data-user="carol">@carol</mark>. <code>@dave</code> ' +
        '<a href="mailto:bob@example.com" rel="noopener noreferrer nofollow" target="_blank">bob@example.com</a></p>',
    );
    expect(renderBody("hi @bob")).toBe('<p dir="auto">hi @bob</p>');
  });

  it("puts a trailing element (edited) at the end of the last paragraph", () => {
    const html = renderBody("a\n\nb", { trailing: createElement("span", null, "(edited)") });
    expect(html).toBe('<p dir="auto">a</p><p dir="auto">b <span>(edited)</span></p>');
  });
});

describe("markdownToText: the same source as plain text", () => {
  it("strips markup, keeps URLs visible, indents code blocks", () => {
    expect(markdownToText("**b** _i_ ~~s~~ `c` :tada:")).toBe("b i s `c` 🎉");
    expect(markdownToText("[docs](https://d.org) and https://e.org")).toBe("docs <https://d.org> and https://e.org");
    expect(markdownToText("run:\n```\nnpm ci\nnpm test\n```")).toBe("run:\n\n    npm ci\n    npm test");
    expect(markdownToText("> q\n\n- a\n- b\n\n2. x")).toBe("> q\n\n• a\n• b\n\n2. x");
  });

  it("gives quotes one clean first line", () => {
    expect(firstLine("**Deploy** done: [log](https://ci.example.com/1)\nmore")).toBe(
      "Deploy done: log <https://ci.example.com/1>",
    );
    expect(firstLine("\u0007```\ncode\n```")).toBe("code");
  });
});
