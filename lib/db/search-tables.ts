// The full-text index (migration 20261202140000_search) is FTS5, which Prisma's schema cannot express: the
// virtual table and its shadow tables are external to Prisma, so its diffs neither drop nor recreate them.
export const SEARCH_TABLES = [
  "MessageSearch",
  ...["data", "idx", "docsize", "config"].map((t) => `MessageSearch_${t}`),
];
