// markdown-it-emoji ships no types; only the plugin used here is declared.
declare module "markdown-it-emoji" {
  import type { MarkdownIt } from "markdown-it";
  interface EmojiOptions {
    /** short forms such as `:)`; empty here: only `:name:` becomes an emoji */
    shortcuts?: Record<string, string | string[]>;
    /** names to keep (all when empty) */
    enabled?: string[];
  }
  export function full(md: MarkdownIt, options?: EmojiOptions): void;
}
// the plugin's table of `:name:` → emoji (lib/markdown/shortcodes.ts)
declare module "markdown-it-emoji/lib/data/full.mjs" {
  const names: Record<string, string>;
  export default names;
}
