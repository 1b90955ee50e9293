// `:tada:` → 🎉: the names a message's `:name:` is shown by (markdown-it-emoji's full set, as parser.ts
// renders them), for where an emoji is asked for by name: the terminal's /react, where emoji are hard to type.
import names from "markdown-it-emoji/lib/data/full.mjs";

const SHORTCODE = /^:([a-z0-9_+-]+):$/i;

/** The emoji `:name:` stands for, or undefined when `text` is not one known name in colons. */
export function emojiOfShortcode(text: string): string | undefined {
  const name = SHORTCODE.exec(text)?.[1]?.toLowerCase();
  return name !== undefined && Object.hasOwn(names, name) ? names[name] : undefined;
}
