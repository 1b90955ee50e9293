// Direct inserts into the server's SQLite file (better-sqlite3, one transaction each): users with sessions,
// and the millions of history rows, in seconds instead of the minutes the API would take (every register
// and login is a bcrypt). The server keeps running meanwhile (WAL: one writer at a time, readers unaffected).
import { createHash, randomBytes } from "node:crypto";
import Database from "better-sqlite3";
import { createSearchIndexer } from "../../lib/db/search-indexer";

export interface SeededUser {
  userId: number;
  username: string;
  token: string;
}

/** Prisma's better-sqlite3 adapter keeps DateTime as ISO text with an explicit offset. */
export const sqliteDate = (d: Date): string => d.toISOString().replace("Z", "+00:00");

function open(databasePath: string): Database.Database {
  const db = new Database(databasePath, { fileMustExist: true });
  db.pragma("busy_timeout = 10000");
  return db;
}

/**
 * `count` users named `<prefix><i>`, each in #general (as registration does) and with one session whose
 * token is returned (the bearer token the API would have handed out at login).
 */
export function seedUsers(
  databasePath: string,
  opts: { prefix: string; count: number; passwordHash?: string },
): SeededUser[] {
  const db = open(databasePath);
  try {
    const general = db.prepare(`SELECT id FROM "Room" WHERE nameKey = 'general'`).pluck().get() as number;
    const now = new Date();
    const created = sqliteDate(now);
    const expires = sqliteDate(new Date(now.getTime() + 30 * 24 * 3600 * 1000));
    const addUser = db.prepare(
      `INSERT INTO "User" (username, usernameKey, passwordHash, createdAt) VALUES (?, ?, ?, ?) RETURNING id`,
    );
    const addMember = db.prepare(`INSERT INTO "Membership" (roomId, userId, lastReadId, joinedAt) VALUES (?, ?, 0, ?)`);
    const addSession = db.prepare(
      `INSERT INTO "Session" (tokenHash, userId, createdAt, expiresAt, lastUsedAt) VALUES (?, ?, ?, ?, ?)`,
    );
    const hash = opts.passwordHash ?? "$2b$10$invalidinvalidinvalidinvalidinvalidinvalidinvalidinva";
    const users: SeededUser[] = [];
    db.transaction(() => {
      for (let i = 0; i < opts.count; i++) {
        const username = `${opts.prefix}${i}`;
        const { id } = addUser.get(username, username.toLowerCase(), hash, created) as { id: number };
        addMember.run(general, id, created);
        const token = randomBytes(32).toString("base64url");
        addSession.run(createHash("sha256").update(token).digest("hex"), id, created, expires, created);
        users.push({ userId: id, username, token });
      }
    })();
    return users;
  } finally {
    db.close();
  }
}

/** `rows` messages by `user` in `room` (one transaction), then a WAL checkpoint; the new id range. */
export function seedMessages(
  databasePath: string,
  opts: { room: string; user: SeededUser; rows: number },
): { firstId: number; lastId: number } {
  const db = open(databasePath);
  try {
    const insert = db.prepare(
      `INSERT INTO "Message" (room, userId, username, content, createdAt, clientId, seq) VALUES (?, ?, ?, ?, ?, NULL, ?)`,
    );
    const start = Date.now() - opts.rows * 1000;
    db.transaction(() => {
      let seq = Number(db.prepare(`SELECT COALESCE(MAX(seq), 0) FROM "Message"`).pluck().get());
      for (let i = 0; i < opts.rows; i++) {
        insert.run(
          opts.room,
          opts.user.userId,
          opts.user.username,
          `history message ${i}: the quick brown fox jumps over the lazy dog`,
          sqliteDate(new Date(start + i * 1000)),
          ++seq,
        );
      }
      // indexed in one batch, as the server's writer would at its start
      createSearchIndexer(db).flush();
    })();
    db.pragma("wal_checkpoint(TRUNCATE)");
    const range = db
      .prepare(`SELECT min(id) AS firstId, max(id) AS lastId FROM "Message" WHERE room = ?`)
      .get(opts.room);
    return range as { firstId: number; lastId: number };
  } finally {
    db.close();
  }
}

/** Rows in Message (a durability sanity check after the persist scenario). */
export function countMessages(databasePath: string): number {
  const db = open(databasePath);
  try {
    return Number(db.prepare(`SELECT count(*) FROM "Message"`).pluck().get());
  } finally {
    db.close();
  }
}

/** The highest seq committed (every acked create or change takes one), over a separate connection. */
export function maxSeq(databasePath: string): number {
  const db = open(databasePath);
  try {
    return Number(db.prepare(`SELECT COALESCE(MAX(seq), 0) FROM "Message"`).pluck().get());
  } finally {
    db.close();
  }
}

/**
 * The search corpus: `rooms` rooms (`search-<i>`) with every one of `users` a member of each, and `rows`
 * messages from random users in random rooms, their text from `sentence`. The search index is filled by the
 * server's own indexer (lib/db/search-indexer.ts), a batch per transaction of 50,000 rows.
 */
export function seedSearchCorpus(
  databasePath: string,
  opts: { users: SeededUser[]; rooms: number; rows: number; sentence: () => string; random: () => number },
): { rooms: string[] } {
  const db = open(databasePath);
  try {
    const now = Date.now();
    const at = sqliteDate(new Date(now));
    const addRoom = db.prepare(
      `INSERT INTO "Room" (name, nameKey, kind, private, createdAt) VALUES (?, ?, 'room', false, ?) RETURNING id`,
    );
    const addMember = db.prepare(`INSERT INTO "Membership" (roomId, userId, lastReadId, joinedAt) VALUES (?, ?, 0, ?)`);
    const rooms: string[] = [];
    db.transaction(() => {
      for (let r = 0; r < opts.rooms; r++) {
        const name = `search-${r}`;
        const { id } = addRoom.get(name, name, at) as { id: number };
        for (const u of opts.users) addMember.run(id, u.userId, at);
        rooms.push(name);
      }
    })();
    const insert = db.prepare(
      `INSERT INTO "Message" (room, userId, username, content, createdAt, clientId, seq) VALUES (?, ?, ?, ?, ?, NULL, ?)`,
    );
    let seq = Number(db.prepare(`SELECT COALESCE(MAX(seq), 0) FROM "Message"`).pluck().get());
    const indexer = createSearchIndexer(db);
    const start = now - opts.rows * 1000;
    const pick = <T>(a: T[]): T => a[Math.floor(opts.random() * a.length)]!;
    for (let done = 0; done < opts.rows;) {
      const batch = Math.min(50_000, opts.rows - done);
      db.transaction(() => {
        for (let i = 0; i < batch; i++, done++) {
          const u = pick(opts.users);
          insert.run(
            pick(rooms),
            u.userId,
            u.username,
            opts.sentence(),
            sqliteDate(new Date(start + done * 1000)),
            ++seq,
          );
        }
        indexer.flush();
      })();
    }
    db.pragma("wal_checkpoint(TRUNCATE)");
    return { rooms };
  } finally {
    db.close();
  }
}
