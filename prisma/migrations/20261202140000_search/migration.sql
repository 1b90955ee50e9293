-- Full-text search over message content (SQLite FTS5; Prisma's schema cannot express it, so it lives here
-- and schema.prisma does not mention it). An external-content table: the text stays in "Message", the index
-- holds only tokens. Diacritics are folded (cafe finds café) and 2-4 character prefixes are indexed so that
-- `dep*` is an index lookup. Only live messages are indexed: a tombstone (deleted, content "") never matches.
CREATE VIRTUAL TABLE "MessageSearch" USING fts5(
    content,
    content = 'Message',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3 4'
);

-- backfill what is already stored
INSERT INTO "MessageSearch" (rowid, content) SELECT "id", "content" FROM "Message" WHERE "deleted" = 0;

-- kept in step by triggers, so the index changes in the same transaction as every insert, edit and delete.
-- An external-content 'delete' must be given the text that was indexed: the row's old content.
CREATE TRIGGER "Message_search_insert" AFTER INSERT ON "Message" WHEN new."deleted" = 0 BEGIN
    INSERT INTO "MessageSearch" (rowid, content) VALUES (new."id", new."content");
END;

CREATE TRIGGER "Message_search_delete" AFTER DELETE ON "Message" WHEN old."deleted" = 0 BEGIN
    INSERT INTO "MessageSearch" ("MessageSearch", rowid, content) VALUES ('delete', old."id", old."content");
END;

CREATE TRIGGER "Message_search_update" AFTER UPDATE OF "content", "deleted" ON "Message" BEGIN
    INSERT INTO "MessageSearch" ("MessageSearch", rowid, content)
        SELECT 'delete', old."id", old."content" WHERE old."deleted" = 0;
    INSERT INTO "MessageSearch" (rowid, content) SELECT new."id", new."content" WHERE new."deleted" = 0;
END;
