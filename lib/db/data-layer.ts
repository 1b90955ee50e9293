// What the services may ask of the database: named queries returning plain objects. openDatabase (open.ts)
// fills it with SQLite, or with PostgreSQL (lib/db/pg) when DATABASE_URL says postgresql://. Promises throughout, even
// where SQLite answers synchronously, so that an asynchronous driver fits.
import type { Member } from "../notify/mentions";
import type { Message, NotifyLevel } from "../protocol";
import type { SearchTerm } from "../search/query";
import type { EffectivePragmas, PgDurability } from "./pragmas";

export interface UserRecord {
  id: number;
  username: string;
  passwordHash: string;
  admin: boolean;
  deactivated: boolean;
}

/**
 * Who may register, decided in the transaction that creates the account (so two registrations racing on an
 * empty database cannot both be "the first"): anyone; only the first account; or the first, or the holder
 * of a live invite (one of whose uses is taken in that same transaction).
 */
export type Admission = { kind: "open" } | { kind: "first-only" } | { kind: "invite"; codeHash: string; now: Date };

export interface UserQueries {
  /**
   * null when the (case-insensitive) username is taken, "refused" when `admission` does not admit it; a new
   * user is a member of general, and the first account of the database is its admin.
   */
  createUser(username: string, passwordHash: string, admission?: Admission): Promise<UserRecord | null | "refused">;
  listUsers(): Promise<({ id: number; lastSeenAt: Date | null; deactivatedAt: Date | null } & StoredProfile)[]>;
  setLastSeen(userId: number, at: Date): Promise<void>;
  findUserByName(username: string): Promise<UserRecord | null>;
}

/** What a user shows of themselves: the display name and status as stored (null when unset), the avatar's id. */
export interface StoredProfile {
  username: string;
  displayName: string | null;
  statusText: string | null;
  avatarId: string | null;
}

export interface ProfileQueries {
  /** null when there is no such user */
  profile(userId: number): Promise<(StoredProfile & { createdAt: Date }) | null>;
  /** changes the fields given (null clears one); the profile after the change */
  updateProfile(
    userId: number,
    change: { displayName?: string | null; statusText?: string | null },
  ): Promise<StoredProfile>;
  /** replaces the user's avatar (both sizes) under a new id */
  setAvatar(userId: number, avatar: { id: string; large: Uint8Array; small: Uint8Array }): Promise<void>;
  /** removes it; false when there was none */
  removeAvatar(userId: number): Promise<boolean>;
  /** the image bytes of an avatar at one of its two sizes, or null when no such avatar exists */
  avatarImage(id: string, size: "large" | "small"): Promise<Uint8Array | null>;
  passwordHash(userId: number): Promise<string | null>;
  /** stores a new hash and deletes every session of the user but `keepSessionId`: the ids deleted */
  setPassword(userId: number, passwordHash: string, keepSessionId: number): Promise<number[]>;
}

export interface SessionListing {
  id: number;
  createdAt: Date;
  lastUsedAt: Date;
  userAgent: string | null;
}

export interface SessionRecord {
  id: number;
  userId: number;
  username: string;
  /** the user's admin flag as it is now */
  admin: boolean;
  expiresAt: Date;
}

export interface SessionQueries {
  createSession(userId: number, tokenHash: string, expiresAt: Date, userAgent?: string | null): Promise<number>;
  /** a user's sessions that have not expired at `now`, the most recently used first */
  sessionsOf(userId: number, now: Date): Promise<SessionListing[]>;
  /** deletes the user's session `id` (someone else's is left alone): false when they have none by that id */
  deleteSessionOf(userId: number, id: number): Promise<boolean>;
  /** deletes every session of the user but `keepId`: the ids deleted */
  deleteOtherSessions(userId: number, keepId: number): Promise<number[]>;
  findSession(tokenHash: string): Promise<SessionRecord | null>;
  extendSession(id: number, expiresAt: Date): Promise<void>;
  /** the deleted session's id, or null when there was none */
  deleteSession(tokenHash: string): Promise<number | null>;
  /** which of `ids` still exist and have not expired at `now` */
  liveSessionIds(ids: number[], now: Date): Promise<Set<number>>;
  deleteExpiredSessions(now: Date): Promise<number>;
}

export interface ApiTokenRecord {
  id: number;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

export interface ApiTokenQueries {
  createApiToken(userId: number, name: string, tokenHash: string): Promise<ApiTokenRecord>;
  listApiTokens(userId: number): Promise<ApiTokenRecord[]>;
  /** false when the user has no token with that id */
  deleteApiToken(userId: number, id: number): Promise<boolean>;
  findApiToken(
    tokenHash: string,
  ): Promise<{ id: number; userId: number; username: string; admin: boolean; lastUsedAt: Date | null } | null>;
  touchApiToken(id: number, at: Date): Promise<void>;
  /** which of `ids` still exist */
  liveApiTokenIds(ids: number[]): Promise<Set<number>>;
}

export interface HookRecord {
  id: number;
  name: string;
  roomId: number;
  /** the room's name */
  room: string;
  createdById: number;
  /** the creator's username */
  createdBy: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

export interface HookQueries {
  createHook(h: { roomId: number; createdById: number; name: string; secretHash: string }): Promise<HookRecord>;
  /** the hooks of every room `userId` is a member of */
  hooksOfMember(userId: number): Promise<HookRecord[]>;
  findHook(id: number): Promise<HookRecord | null>;
  findHookBySecret(secretHash: string): Promise<HookRecord | null>;
  deleteHook(id: number): Promise<boolean>;
  touchHook(id: number, at: Date): Promise<void>;
}

export interface RoomRecord {
  id: number;
  name: string;
  kind: "room" | "dm";
  private: boolean;
}

export interface RoomQueries {
  findRoom(name: string): Promise<RoomRecord | null>;
  /** null when the name is taken (case-insensitively); the members are added in the same transaction */
  createRoom(
    room: { name: string; kind: "room" | "dm"; private: boolean; createdById: number },
    memberIds: number[],
  ): Promise<RoomRecord | null>;
  /** the member's read marker, or null when not a member */
  membership(roomId: number, userId: number): Promise<{ lastReadId: number } | null>;
  /** adds (or keeps) a member; a new member starts with everything before `readUpTo` read */
  addMember(roomId: number, userId: number, readUpTo: number): Promise<boolean>;
  removeMember(roomId: number, userId: number): Promise<boolean>;
  /** moves the read marker forward only; the marker after the call */
  markRead(roomId: number, userId: number, lastReadId: number): Promise<number>;
  /** every room of a user with their read marker, by name */
  roomsOf(userId: number): Promise<(RoomRecord & { lastReadId: number })[]>;
  /** just the names of a user's rooms, by name: a prepared read on SQLite (searches and gap fills ask) */
  roomNamesOf(userId: number): Promise<string[]>;
  memberNames(roomId: number): Promise<string[]>;
  memberIds(roomId: number): Promise<number[]>;
  /** every member's id and name */
  members(roomId: number): Promise<Member[]>;
  publicRooms(): Promise<RoomRecord[]>;
  /** messages by others after the read marker (up to `upTo`, when given) */
  unreadCount(room: string, userId: number, lastReadId: number, upTo?: number): Promise<number>;
  /** unread messages (after the read marker, up to `upTo` when given) that mention the user */
  mentionCount(room: string, userId: number, lastReadId: number, upTo?: number): Promise<number>;
  lastMessageId(room: string): Promise<number>;
}

export interface NewMessage {
  userId: number;
  username: string;
  room: string;
  content: string;
  clientId?: string;
  /** the message this one answers (the service has checked it: same room, not deleted) */
  replyToId?: number;
  /** posted by an incoming webhook under this name (and icon) */
  bot?: { name: string; iconUrl: string | null };
  /** the members its content mentions (the service finds them) */
  mentions?: Member[];
  /** ids of the author's unsent uploads to attach, in order (the service has checked them) */
  files?: string[];
}

export interface Stored {
  message: Message;
  /** false when a retry found the row its first attempt stored */
  created: boolean;
}

/** A stored message with its author (whose id the wire Message does not carry). */
export interface MessageRecord {
  message: Message;
  authorId: number;
}

/** An edit, delete or reaction change; `changed` false when it found the state it asks for (no new seq). */
export interface Changed {
  message: Message;
  changed: boolean;
}

/** What the writer can do to a stored message (null result: no such message, or it is deleted). */
export type MessageChange =
  | { kind: "edit"; id: number; editorId: number; content: string; mentions: Member[] }
  | { kind: "delete"; id: number }
  | { kind: "react"; id: number; userId: number; username: string; emoji: string }
  | { kind: "unreact"; id: number; userId: number; emoji: string };

export interface MessageQueries {
  /**
   * Stores a message once per (user, clientId); resolves after the commit. null (nothing stored) when one
   * of `m.files` is no longer the author's unsent upload.
   */
  insertMessage(m: NewMessage): Promise<Stored | null>;
  /** the newest `limit` messages, oldest first */
  latestMessages(room: string, limit: number): Promise<Message[]>;
  messagesAfter(room: string, afterId: number, limit: number): Promise<Message[]>;
  /** the ids of `room`'s messages after `afterId` up to `upToId`, ascending: the cluster's cheap gap check */
  messageIdsBetween(room: string, afterId: number, upToId: number, limit: number): Promise<number[]>;
  /** gap fill across rooms: what came after `afterId` in any of `rooms`, oldest first */
  messagesAfterIn(rooms: string[], afterId: number, limit: number): Promise<Message[]>;
  /** the `limit` messages just before `beforeId`, oldest first */
  messagesBefore(room: string, beforeId: number, limit: number): Promise<Message[]>;
  /** catch-up: what was created or changed after `since` in any of `rooms`, ascending by seq */
  changesIn(rooms: string[], since: number, limit: number): Promise<Message[]>;
  findMessage(id: number): Promise<MessageRecord | null>;
  /** the rest go through the writer's queue: committed (with a new seq when they change anything) before they resolve */
  editMessage(id: number, editorId: number, content: string, mentions: Member[]): Promise<Changed | null>;
  /** null for a message already deleted (SPEC: acting on a deleted message is not_found) */
  deleteMessage(id: number): Promise<Changed | null>;
  addReaction(id: number, user: { userId: number; username: string }, emoji: string): Promise<Changed | null>;
  removeReaction(id: number, userId: number, emoji: string): Promise<Changed | null>;
  /**
   * Retention: deletes for good up to `limit` of the oldest messages created before `cutoff`, with their
   * mentions, reactions and edit history (the search index follows); how many it deleted (0: none left).
   * The message holding the highest seq is kept, so a seq is never handed out twice.
   */
  purgeBefore(cutoff: Date, limit: number): Promise<number>;
}

/** An uploaded file as stored (its bytes are the blob named `hash`). */
export interface UploadRecord {
  id: string;
  userId: number;
  name: string;
  size: number;
  type: string;
  hash: string;
  width: number | null;
  height: number | null;
  thumbnail: boolean;
  /** null while unsent */
  messageId: number | null;
  createdAt: Date;
}

export interface UploadQueries {
  createUpload(u: Omit<UploadRecord, "messageId" | "createdAt">): Promise<UploadRecord>;
  findUpload(id: string): Promise<UploadRecord | null>;
  /** those of `ids` that exist (any order) */
  findUploads(ids: string[]): Promise<UploadRecord[]>;
  /** bytes of all a user's uploads (the quota counts each, duplicates too) */
  bytesOf(userId: number): Promise<number>;
  /** removes the unsent uploads made before `before`; how many */
  deleteUnsentBefore(before: Date): Promise<number>;
  /** every hash an upload row still names (a blob outside it is garbage) */
  referencedHashes(): Promise<Set<string>>;
}

/** What a search asks of the database: the terms all match, within `rooms` (the caller's, checked now). */
export interface SearchFilter {
  terms: SearchTerm[];
  rooms: string[];
  authorId?: number;
  /** inclusive lower and exclusive upper bound of createdAt */
  since?: Date;
  until?: Date;
  /** the cursor: only messages older (by id) than this */
  beforeId?: number;
  limit: number;
}

export interface SearchQueries {
  /** live (not deleted) messages matching `filter`, newest first; SQLite FTS5 here, tsvector/GIN on PostgreSQL */
  search(filter: SearchFilter): Promise<Message[]>;
}

/** A user's notification level and per-room overrides (room names as stored). */
export interface StoredNotificationSettings {
  level: NotifyLevel;
  rooms: { roomId: number; name: string; level: NotifyLevel }[];
}

export interface NotificationQueries {
  notificationSettings(userId: number): Promise<StoredNotificationSettings>;
  /** replaces the level and every override, in one transaction */
  setNotificationSettings(
    userId: number,
    level: NotifyLevel,
    rooms: { roomId: number; level: NotifyLevel }[],
  ): Promise<void>;
}

export interface PushSubscriptionRecord {
  userId: number;
  endpoint: string;
  p256dh: string;
  auth: string;
}

export interface PushQueries {
  /** the stored value of `name`, or `make()`'s stored on first use (the first writer wins a race) */
  serverSecret(name: string, make: () => string): Promise<string>;
  /** stores (or moves to `userId`, with new keys) the subscription at its endpoint */
  saveSubscription(s: PushSubscriptionRecord): Promise<void>;
  /** removes `userId`'s subscription at `endpoint`; false when they had none there */
  removeSubscription(userId: number, endpoint: string): Promise<boolean>;
  /** what a push service answered 404 or 410 for: gone for whoever held it */
  dropEndpoint(endpoint: string): Promise<void>;
  subscriptionsOf(userIds: number[]): Promise<PushSubscriptionRecord[]>;
  /** every user with at least one subscription */
  subscriberIds(): Promise<number[]>;
}

export interface AdminUserRecord {
  id: number;
  username: string;
  admin: boolean;
  deactivatedAt: Date | null;
  createdAt: Date;
  lastSeenAt: Date | null;
}

export interface InviteRecord {
  id: number;
  createdBy: string | null;
  createdAt: Date;
  expiresAt: Date;
  maxUses: number;
  used: number;
  revokedAt: Date | null;
}

export interface AuditRecord {
  id: number;
  actor: string;
  action: string;
  target: string | null;
  createdAt: Date;
}

/** Why a change to an account was refused: it would leave no active admin, or it is already so. */
export type AccountChange = "ok" | "last-admin" | "unchanged";

export interface AdminQueries {
  isAdmin(userId: number): Promise<boolean>;
  /** false on an empty database (whose first account may always register) */
  hasUsers(): Promise<boolean>;
  findUser(username: string): Promise<AdminUserRecord | null>;
  /** by username; `search` matches a part of the name, case-insensitively */
  listUsers(search: string, limit: number): Promise<AdminUserRecord[]>;
  /** one statement each, so two admins revoking each other at once cannot leave none */
  setAdmin(userId: number, admin: boolean): Promise<AccountChange>;
  /** sets deactivatedAt and deletes every session of the user in one transaction: their ids, to close sockets */
  deactivate(userId: number, at: Date): Promise<{ change: AccountChange; sessionIds: number[] }>;
  reactivate(userId: number): Promise<AccountChange>;
  setting(name: string): Promise<string | null>;
  setSetting(name: string, value: string): Promise<void>;
  createInvite(invite: { codeHash: string; createdById: number; expiresAt: Date; maxUses: number }): Promise<number>;
  /** every invite not yet revoked, newest first */
  listInvites(limit: number): Promise<InviteRecord[]>;
  findInvite(codeHash: string): Promise<InviteRecord | null>;
  /** false when there was no such invite, or it was revoked already */
  revokeInvite(id: number, at: Date): Promise<boolean>;
  createPasswordReset(userId: number, tokenHash: string, expiresAt: Date): Promise<void>;
  /** the user a live (unused, unexpired) reset token is for */
  passwordResetUser(tokenHash: string, now: Date): Promise<{ userId: number; username: string } | null>;
  /**
   * Uses a live reset token: the new hash is stored and every session of the user deleted, in one transaction;
   * null when the token is unknown, used or expired.
   */
  usePasswordReset(
    tokenHash: string,
    passwordHash: string,
    now: Date,
  ): Promise<{ userId: number; username: string; sessionIds: number[] } | null>;
  audit(entry: { actorId: number | null; actor: string; action: string; target: string | null }): Promise<void>;
  /** newest first */
  auditLog(limit: number): Promise<AuditRecord[]>;
}

/** An open database: its queries, a health check and close (which stops its timers and workers). */
export interface DataLayer {
  users: UserQueries;
  profiles: ProfileQueries;
  sessions: SessionQueries;
  apiTokens: ApiTokenQueries;
  hooks: HookQueries;
  rooms: RoomQueries;
  messages: MessageQueries;
  search: SearchQueries;
  notifications: NotificationQueries;
  push: PushQueries;
  admin: AdminQueries;
  uploads: UploadQueries;
  /** true when the database answers */
  healthy(): Promise<boolean>;
  /** null when the database is migrated and takes writes now; else why not (readiness) */
  notReadyReason(): Promise<string | null>;
  /** bytes the database takes on disk (for /metrics) */
  storageBytes(): Promise<number>;
  /**
   * the settings each write connection really runs with, read back from the database (for tests): SQLite's
   * pragmas per connection, or PostgreSQL's durability settings of the pool
   */
  pragmas(): Promise<Record<"prisma" | "messageWriter", EffectivePragmas> | { pool: PgDurability }>;
  close(): Promise<void>;
}
