-- CreateTable
CREATE TABLE "Mention" (
    "messageId" INTEGER NOT NULL,
    "userId" INTEGER NOT NULL,
    "room" TEXT NOT NULL,

    PRIMARY KEY ("messageId", "userId")
);

-- CreateTable
CREATE TABLE "RoomNotification" (
    "userId" INTEGER NOT NULL,
    "roomId" INTEGER NOT NULL,
    "level" TEXT NOT NULL,

    PRIMARY KEY ("userId", "roomId"),
    CONSTRAINT "RoomNotification_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "RoomNotification_roomId_fkey" FOREIGN KEY ("roomId") REFERENCES "Room" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "PushSubscription" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "userId" INTEGER NOT NULL,
    "endpoint" TEXT NOT NULL,
    "p256dh" TEXT NOT NULL,
    "auth" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "PushSubscription_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ServerSecret" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "value" TEXT NOT NULL
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Message" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "room" TEXT NOT NULL DEFAULT 'general',
    "userId" INTEGER NOT NULL,
    "username" TEXT NOT NULL,
    "content" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "clientId" TEXT,
    "seq" INTEGER NOT NULL,
    "editedAt" DATETIME,
    "deleted" BOOLEAN NOT NULL DEFAULT false,
    "replyToId" INTEGER,
    "mentions" TEXT NOT NULL DEFAULT '[]',
    CONSTRAINT "Message_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Message" ("clientId", "content", "createdAt", "deleted", "editedAt", "id", "replyToId", "room", "seq", "userId", "username") SELECT "clientId", "content", "createdAt", "deleted", "editedAt", "id", "replyToId", "room", "seq", "userId", "username" FROM "Message";
DROP TABLE "Message";
ALTER TABLE "new_Message" RENAME TO "Message";
CREATE UNIQUE INDEX "Message_seq_key" ON "Message"("seq");
CREATE INDEX "Message_room_id_userId_idx" ON "Message"("room", "id", "userId");
CREATE UNIQUE INDEX "Message_userId_clientId_key" ON "Message"("userId", "clientId");
CREATE TABLE "new_User" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "username" TEXT NOT NULL,
    "usernameKey" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" DATETIME,
    "notifyLevel" TEXT NOT NULL DEFAULT 'mentions'
);
INSERT INTO "new_User" ("createdAt", "id", "lastSeenAt", "passwordHash", "username", "usernameKey") SELECT "createdAt", "id", "lastSeenAt", "passwordHash", "username", "usernameKey" FROM "User";
DROP TABLE "User";
ALTER TABLE "new_User" RENAME TO "User";
CREATE UNIQUE INDEX "User_usernameKey_key" ON "User"("usernameKey");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "Mention_userId_room_messageId_idx" ON "Mention"("userId", "room", "messageId");

-- CreateIndex
CREATE UNIQUE INDEX "PushSubscription_endpoint_key" ON "PushSubscription"("endpoint");

-- CreateIndex
CREATE INDEX "PushSubscription_userId_idx" ON "PushSubscription"("userId");
