-- The search index is filled in batches by the message writer (lib/db/search-indexer.ts), no longer by a
-- trigger inside every message's commit: FTS5 writes a new segment on every commit, 7-8 of the 13 WAL frames
-- a message's commit wrote, and that commit's fsync is on every message's path to its ack (docs/BENCHMARKS.md).
-- "SearchIndexMark"."upTo" is the last message id indexed. Edits and deletions keep the index in step for
-- messages up to it; a later message is indexed as it stands when its batch runs (edited, or not at all if
-- deleted by then). The indexer reads "Message" itself, so a batch lost in a crash is indexed again at start.
-- A migration that rebuilds "Message" (Prisma's RedefineTables) drops these two triggers with the table and must
-- create them again as they are here, with no insert trigger; the writer moves the mark back at start should
-- such a rebuild have lowered AUTOINCREMENT's counter below it (lib/db/search-indexer.ts, reconcile).
DROP TRIGGER "Message_search_insert";
DROP TRIGGER "Message_search_delete";
DROP TRIGGER "Message_search_update";

CREATE TABLE "SearchIndexMark" (
    "id" INTEGER NOT NULL PRIMARY KEY CHECK ("id" = 1),
    "upTo" INTEGER NOT NULL
);
-- everything stored so far was indexed by the trigger
INSERT INTO "SearchIndexMark" ("id", "upTo") VALUES (1, COALESCE((SELECT MAX("id") FROM "Message"), 0));

CREATE TRIGGER "Message_search_delete" AFTER DELETE ON "Message"
    WHEN old."id" <= (SELECT "upTo" FROM "SearchIndexMark") BEGIN
    DELETE FROM "MessageSearch" WHERE rowid = old."id";
END;

CREATE TRIGGER "Message_search_update" AFTER UPDATE OF "content", "deleted" ON "Message"
    WHEN old."id" <= (SELECT "upTo" FROM "SearchIndexMark") BEGIN
    DELETE FROM "MessageSearch" WHERE rowid = old."id";
    INSERT INTO "MessageSearch" (rowid, content, author)
        SELECT new."id", new."content", 'u' || new."userId" WHERE new."deleted" = 0;
END;
