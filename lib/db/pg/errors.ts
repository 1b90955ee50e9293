// PostgreSQL's error codes the data layer answers instead of failing (https://www.postgresql.org/docs/current/errcodes-appendix.html).
export const isUniqueViolation = (err: unknown): boolean => (err as { code?: unknown } | null)?.code === "23505";

/**
 * PostgreSQL's text cannot hold U+0000 (SQLite's can): in stored text it becomes U+FFFD, the replacement
 * character, rather than failing the statement (and with it a whole group commit).
 */
export const storableText = (s: string): string => (s.includes("\u0000") ? s.replaceAll("\u0000", "\uFFFD") : s);

/** A name holding U+0000 names nothing that PostgreSQL could have stored: look-ups answer "none" at once. */
export const unstorable = (s: string): boolean => s.includes("\u0000");
