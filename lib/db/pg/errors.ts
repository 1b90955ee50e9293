// PostgreSQL's error codes the data layer answers instead of failing (https://www.postgresql.org/docs/current/errcodes-appendix.html).
export const isUniqueViolation = (err: unknown): boolean => (err as { code?: unknown } | null)?.code === "23505";
