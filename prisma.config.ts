import { defineConfig } from "prisma/config";
import { SEARCH_TABLES } from "./lib/db/search-tables";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  // the FTS5 search index and its mark are made by migrations and kept by lib/db/search-indexer.ts and
  // triggers (lib/db/search-tables.ts)
  experimental: { externalTables: true },
  tables: { external: SEARCH_TABLES },
  datasource: { url: process.env.DATABASE_URL ?? "file:./data/chatterbox.db" },
});
