-- The search index gains the author, so that `from:alice deploy` intersects two posting lists inside FTS5
-- instead of walking every "deploy" and dropping the other authors' rows (50 ms on 200,000 messages), and a
-- bare `from:alice` no longer scans the whole Message table. The author is indexed as the token u<userId>:
-- one exact token per user, whatever characters the username holds.
-- The table becomes contentless with contentless_delete (SQLite 3.43+): a delete needs only the rowid, not
-- the text that was indexed, so no trigger has to reproduce old values. Message rows stay the only copy of
-- the text.
DROP TRIGGER "Message_search_insert";
DROP TRIGGER "Message_search_delete";
DROP TRIGGER "Message_search_update";
DROP TABLE "MessageSearch";

CREATE VIRTUAL TABLE "MessageSearch" USING fts5(
    content,
    author,
    content = '',
    contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3 4'
);

-- backfill what is already stored; only live messages are indexed (a tombstone never matches)
INSERT INTO "MessageSearch" (rowid, content, author)
    SELECT "id", "content", 'u' || "userId" FROM "Message" WHERE "deleted" = 0;

-- kept in step by triggers, in the same transaction as every insert, edit and delete. A migration that
-- rebuilds "Message" (Prisma's RedefineTables) drops these triggers with the table: it must create them again.
CREATE TRIGGER "Message_search_insert" AFTER INSERT ON "Message" WHEN new."deleted" = 0 BEGIN
    INSERT INTO "MessageSearch" (rowid, content, author) VALUES (new."id", new."content", 'u' || new."userId");
END;

CREATE TRIGGER "Message_search_delete" AFTER DELETE ON "Message" BEGIN
    DELETE FROM "MessageSearch" WHERE rowid = old."id";
END;

CREATE TRIGGER "Message_search_update" AFTER UPDATE OF "content", "deleted" ON "Message" BEGIN
    DELETE FROM "MessageSearch" WHERE rowid = old."id";
    INSERT INTO "MessageSearch" (rowid, content, author)
        SELECT new."id", new."content", 'u' || new."userId" WHERE new."deleted" = 0;
END;
