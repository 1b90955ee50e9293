-- AlterTable
ALTER TABLE "User" ADD COLUMN "lastSeenAt" DATETIME;

-- CreateTable
CREATE TABLE "Room" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "nameKey" TEXT NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'room',
    "private" BOOLEAN NOT NULL DEFAULT false,
    "createdById" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Room_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Membership" (
    "roomId" INTEGER NOT NULL,
    "userId" INTEGER NOT NULL,
    "lastReadId" INTEGER NOT NULL DEFAULT 0,
    "joinedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("roomId", "userId"),
    CONSTRAINT "Membership_roomId_fkey" FOREIGN KEY ("roomId") REFERENCES "Room" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Membership_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "Room_nameKey_key" ON "Room"("nameKey");

-- CreateIndex
CREATE INDEX "Membership_userId_idx" ON "Membership"("userId");

-- general always exists and every user is in it
INSERT INTO "Room" ("name", "nameKey", "kind", "private") VALUES ('general', 'general', 'room', false);
INSERT INTO "Membership" ("roomId", "userId", "lastReadId")
    SELECT "Room"."id", "User"."id", 0 FROM "Room", "User" WHERE "Room"."nameKey" = 'general';

-- history and unread counts read a room's messages by id, and "someone else's" needs the author:
-- the wider index serves both, so the narrower one goes
DROP INDEX "Message_room_id_idx";
CREATE INDEX "Message_room_id_userId_idx" ON "Message"("room", "id", "userId");
