// The full-text index (migration 20261202140000_search) is FTS5, which Prisma's schema cannot express: the
// virtual table and its shadow tables are external to Prisma, so its diffs neither drop nor recreate them;
// so is the indexer's mark beside them (a plain table, made and kept by SQL alone).
export const SEARCH_TABLES = [
  "MessageSearch",
  ...["data", "idx", "docsize", "config"].map((t) => `MessageSearch_${t}`),
  // the last message id indexed (migration 20261207180000_search_batched, lib/db/search-indexer.ts)
  "SearchIndexMark",
];

/** PostgreSQL's search table (tsvector + GIN, migration 20261206220100_search): external to Prisma there too. */
export const PG_SEARCH_TABLES = ["public.MessageSearch"];
