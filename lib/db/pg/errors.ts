// PostgreSQL's error codes the data layer answers instead of failing (https://www.postgresql.org/docs/current/errcodes-appendix.html).
export const isUniqueViolation = (err: unknown): boolean => (err as { code?: unknown } | null)?.code === "23505";

/**
 * PostgreSQL's text cannot hold U+0000 (SQLite's can): in stored text it becomes U+FFFD, the replacement
 * character, rather than failing the statement (and with it a whole group commit).
 */
export const storableText = (s: string): string => (s.includes("\u0000") ? s.replaceAll("\u0000", "\uFFFD") : s);

/** A name holding U+0000 names nothing that PostgreSQL could have stored: look-ups answer "none" at once. */
export const unstorable = (s: string): boolean => s.includes("\u0000");

/**
 * PostgreSQL refused a statement for its data (class 22, data exception; class 23, a constraint): the
 * transaction certainly did not commit, so its other writes can be tried again without it. A lost
 * connection is not one of these: its COMMIT may have gone through.
 */
export const isRefusedData = (err: unknown): boolean => {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^2[23][0-9A-Z]{3}$/.test(code);
};
