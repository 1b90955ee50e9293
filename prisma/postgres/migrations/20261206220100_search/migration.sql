-- Full-text search on PostgreSQL: one tsvector per live message, behind a GIN index. The documents are made by
-- the application (lib/search/tsquery.ts), not by to_tsvector: the same tokeniser and folding as the query
-- parser and SQLite's unicode61 index, so a word matches the same messages on both databases. The message
-- writer keeps it in step in the transaction of every insert, edit and delete; a purged message's row goes
-- with it (ON DELETE CASCADE).
-- Prisma's schema cannot express tsvector: the table is external to Prisma (prisma/postgres/prisma.config.ts,
-- lib/db/search-tables.ts), so diffs neither drop nor recreate it.
CREATE TABLE "MessageSearch" (
    "messageId" INTEGER NOT NULL,
    "document" TSVECTOR NOT NULL,

    CONSTRAINT "MessageSearch_pkey" PRIMARY KEY ("messageId"),
    CONSTRAINT "MessageSearch_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES "Message"("id") ON DELETE CASCADE
);

CREATE INDEX "MessageSearch_document_idx" ON "MessageSearch" USING GIN ("document");
