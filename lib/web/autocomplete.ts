// `@` and `#` completion in the composer, pure: where the word being typed starts, which names match it, and
// the text with the chosen one put in. Names use the username/room characters (letters, digits, `_ . -`).

export type TriggerChar = "@" | "#";

export interface Trigger {
  char: TriggerChar;
  /** what follows the trigger character, up to the caret */
  query: string;
  /** index of the trigger character */
  start: number;
}

const NAME_CHAR = /[A-Za-z0-9_.-]/;

/** The `@name` or `#room` being typed just before `caret`, or null (e-mail addresses and words are not). */
export function findTrigger(text: string, caret: number): Trigger | null {
  let i = caret;
  while (i > 0 && NAME_CHAR.test(text.charAt(i - 1))) i--;
  const char = text.charAt(i - 1);
  if (char !== "@" && char !== "#") return null;
  const before = text.charAt(i - 2);
  // `bob@example`, `C#` and `@@` are not triggers
  if (before && (NAME_CHAR.test(before) || before === "@" || before === "#")) return null;
  return { char, query: text.slice(i, caret), start: i - 1 };
}

/** Names that start with the query first, then names containing it; each group in the given order. */
export function suggest(names: readonly string[], query: string, limit = 8): string[] {
  const q = query.toLowerCase();
  const starts = names.filter((n) => n.toLowerCase().startsWith(q));
  const contains = names.filter((n) => !n.toLowerCase().startsWith(q) && n.toLowerCase().includes(q));
  return [...starts, ...contains].slice(0, limit);
}

/** `text` with the trigger's word replaced by the chosen name and a space; the caret goes after it. */
export function complete(text: string, trigger: Trigger, caret: number, name: string): { text: string; caret: number } {
  const inserted = `${trigger.char}${name} `;
  const rest = text
    .slice(caret)
    .replace(/^[A-Za-z0-9_.-]*/, "")
    .replace(/^ /, "");
  return { text: text.slice(0, trigger.start) + inserted + rest, caret: trigger.start + inserted.length };
}
