// The wire contract (SPEC.md), written once: zod schemas for every payload, the types derived from them,
// and the socket.io event maps. Server, web UI and terminal client all compile against this file.
import { z } from "zod";

// In the browser the CSP forbids eval: zod would probe for it with `new Function` (a reported violation on
// every page) before falling back. The forms parse little, so the browser interprets; servers keep the JIT.
if (typeof window !== "undefined") z.config({ jitless: true });

// ---- limits -------------------------------------------------------------------------------------------
export const LIMITS = {
  usernameMin: 3,
  usernameMax: 32,
  passwordMinBytes: 8,
  /** bcrypt reads 72 bytes: longer passwords are refused, never silently truncated */
  passwordMaxBytes: 72,
  contentMax: 4000,
  roomNameMax: 40,
  historyDefault: 50,
  pageMax: 500,
  /** reconnect gap fill: beyond this the history says truncated and the client pages the rest */
  gapFillMax: 1000,
  /** a reply's quote of its parent */
  replyQuoteMax: 140,
  /** GET /api/changes and a `since` catch-up carry at most this many */
  changesMax: 1000,
  /** search results per page */
  searchDefault: 20,
  searchMax: 100,
  /** files attached to one message */
  filesPerMessage: 10,
  /** a file name's length (characters), after sanitising */
  fileNameMax: 200,
  /** a display name, in characters (the username stays the unique handle) */
  displayNameMax: 64,
  /** a profile's status line, in characters */
  statusMax: 140,
  /** the two sizes an avatar is stored at (square, in pixels) */
  avatarLarge: 256,
  avatarSmall: 64,
} as const;

export const DEFAULT_ROOM = "general";

const utf8Bytes = (s: string) => new TextEncoder().encode(s).length;

// ---- HTTP payloads --------------------------------------------------------------------------------------
export const usernameSchema = z
  .string({ error: "username must be a string" })
  .trim()
  .min(LIMITS.usernameMin, `username must be at least ${LIMITS.usernameMin} characters`)
  .max(LIMITS.usernameMax, `username must be at most ${LIMITS.usernameMax} characters`)
  .regex(/^[A-Za-z0-9_.-]+$/, "username may contain only letters, digits, '_', '.' and '-'");

export const passwordSchema = z
  .string({ error: "password must be a string" })
  .refine((p) => utf8Bytes(p) >= LIMITS.passwordMinBytes, `password must be at least ${LIMITS.passwordMinBytes} bytes`)
  .refine(
    (p) => utf8Bytes(p) <= LIMITS.passwordMaxBytes,
    `password must be at most ${LIMITS.passwordMaxBytes} bytes of UTF-8 (bcrypt ignores the rest)`,
  );

export const credentialsSchema = z.object(
  { username: usernameSchema, password: passwordSchema },
  { error: "body must be a JSON object with username and password" },
);
export type Credentials = z.infer<typeof credentialsSchema>;
/** POST /register: credentials, and the invite code when registration is invite-only */
export const registrationSchema = credentialsSchema.extend({
  invite: z
    .string({ error: "invite must be a string" })
    .trim()
    .min(1, "invite is empty")
    .max(200, "invite is too long")
    .optional(),
});
export type Registration = z.infer<typeof registrationSchema>;

// ---- messages -------------------------------------------------------------------------------------------
/** Characters as people count them: code points, so an emoji is one, not two UTF-16 units. */
export const characterCount = (s: string): number => {
  // UTF-16 length less the surrogate pairs: no iterator, no allocation (it runs on every message sent)
  let pairs = 0;
  for (let i = 0; i < s.length - 1; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        pairs++;
        i++;
      }
    }
  }
  return s.length - pairs;
};
/** at most `max` characters; a string no longer than that in UTF-16 units is not counted at all */
const atMost = (max: number) => (s: string) => s.length <= max || characterCount(s) <= max;

// a browser before 2023 lacks it: it sends the text as it is, and the server makes it well-formed
const toWellFormed: (s: string) => string =
  typeof String.prototype.toWellFormed === "function" ? (s) => s.toWellFormed() : (s) => s;

/**
 * Text as people write it, made well-formed: a lone UTF-16 surrogate (JSON's `"\ud800"` escape can carry one)
 * becomes U+FFFD, as every UTF-8 encoder makes it. Stored as it came, SQLite would keep bytes that read back
 * as three U+FFFD and PostgreSQL would keep one: the sender's ack, the history and both databases now agree.
 */
const userText = (error: string) => z.string({ error }).overwrite(toWellFormed);

// U+0000 is refused: PostgreSQL's text cannot hold it, and no one types it; both databases answer alike
const NO_NUL = [(s: string) => !s.includes("\u0000"), "message may not contain the NUL character (U+0000)"] as const;

export const contentSchema = userText("content must be a string")
  .trim()
  .min(1, "message is empty")
  .refine(atMost(LIMITS.contentMax), `message is longer than ${LIMITS.contentMax} characters`)
  .refine(...NO_NUL);

/** Content that may be empty (a message whose files say it all); the rest as contentSchema. */
const optionalContentSchema = userText("content must be a string")
  .trim()
  .refine(atMost(LIMITS.contentMax), `message is longer than ${LIMITS.contentMax} characters`)
  .refine(...NO_NUL)
  .default("");

/** An uploaded file's id, as POST /api/uploads gave it. */
export const fileIdSchema = z
  .string({ error: "a file id must be a string" })
  .regex(/^[A-Za-z0-9_-]{16,64}$/, "a file id is not one this server gave");

/** The files a message carries: ids of the sender's unsent uploads, at most LIMITS.filesPerMessage, each once. */
export const fileIdsSchema = z
  .array(fileIdSchema, { error: "files must be a list of file ids" })
  .max(LIMITS.filesPerMessage, `at most ${LIMITS.filesPerMessage} files in one message`)
  .refine((ids) => new Set(ids).size === ids.length, "the same file is listed twice");

/** Either content or files: a message with neither is empty. */
const hasContentOrFiles = (p: { content: string; files?: string[] | undefined }) =>
  p.content.length > 0 || (p.files?.length ?? 0) > 0;

/**
 * Largest frame a valid message can need: each character JSON-escaped as a surrogate pair (`\ud83d\ude00`,
 * 12 bytes), plus room for the envelope.
 */
export const MAX_FRAME_BYTES = LIMITS.contentMax * 12 + 4096;

export const clientIdSchema = z.string().uuid("clientId must be a UUID");

/** A stored message's id, as a client names it. */
export const messageIdSchema = z
  .number({ error: "id must be a message id" })
  .int("id must be an integer")
  .positive("id must be a message id");

const EMOJI = /^(?:\p{Extended_Pictographic}|\p{Regional_Indicator}{2}|[#*0-9]\uFE0F?\u20E3)/u;

// built once: a Segmenter costs tens of microseconds to make, more than segmenting a reaction's emoji
let graphemeSegmenter: Intl.Segmenter | undefined;

/** One Unicode emoji grapheme (ZWJ sequences, skin tones and flags included), nothing else. */
export function isEmoji(s: string): boolean {
  if (s.length === 0 || s.length > 64 || !EMOJI.test(s)) return false;
  graphemeSegmenter ??= new Intl.Segmenter(undefined, { granularity: "grapheme" });
  const first = graphemeSegmenter.segment(s).containing(0);
  return first !== undefined && first.segment.length === s.length;
}

export const emojiSchema = z
  .string({ error: "emoji must be a string" })
  .refine(isEmoji, "emoji must be a single emoji");

// ---- rooms ----------------------------------------------------------------------------------------------
export const roomNameSchema = z
  .string({ error: "room must be a string" })
  .trim()
  .min(1, "room name is empty")
  .max(LIMITS.roomNameMax, `room name must be at most ${LIMITS.roomNameMax} characters`)
  .regex(/^[A-Za-z0-9_-]+$/, "room name may contain only letters, digits, '-' and '_'");

/** A room as a client names it: a room name, or a direct-message room's name (`dm:alice:bob`). */
export const roomRefSchema = z.string({ error: "room must be a string" }).trim().min(1, "room is empty").max(80);

/** Direct-message rooms are named after their two users, in a form no room name can take. */
export function dmRoomName(a: string, b: string): string {
  return `dm:${[a.toLowerCase(), b.toLowerCase()].sort().join(":")}`;
}
export const isDmRoom = (room: string): boolean => room.startsWith("dm:");

export const sendMessageSchema = z
  .object(
    {
      /** may be empty when `files` is not */
      content: optionalContentSchema,
      clientId: clientIdSchema.optional(),
      room: roomRefSchema.optional(),
      /** a direct message to this user (instead of `room`) */
      to: usernameSchema.optional(),
      /** the message this one answers: in the same room */
      replyTo: messageIdSchema.optional(),
      /** uploads (POST /api/uploads) of the sender, not sent yet */
      files: fileIdsSchema.optional(),
    },
    { error: "payload must be an object with content" },
  )
  .refine(hasContentOrFiles, "message is empty: give content, or files")
  .refine((p) => !(p.room && p.to), "give either room or to, not both");
export type SendMessageInput = z.infer<typeof sendMessageSchema>;

// message actions (client → server)
export const editMessageSchema = z.object(
  { id: messageIdSchema, content: contentSchema },
  { error: "payload must be an object with id and content" },
);
export const deleteMessageSchema = z.object({ id: messageIdSchema }, { error: "payload must be an object with id" });
export const reactionInputSchema = z.object(
  { id: messageIdSchema, emoji: emojiSchema },
  { error: "payload must be an object with id and emoji" },
);

// an empty query value (`?after=`) is absent, not zero
const emptyIsAbsent = (v: unknown) => (v === "" ? undefined : v);
const messageId = z.preprocess(
  emptyIsAbsent,
  z.coerce.number({ error: "must be a message id" }).int("must be an integer").min(0, "must be ≥ 0").optional(),
);

/** A `limit` query value: a whole number from 1 to `max`, `fallback` when absent. */
function limitParam(max: number, fallback: number) {
  return z.preprocess(
    emptyIsAbsent,
    z.coerce
      .number({ error: "limit must be a number" })
      .int("limit must be an integer")
      .min(1, "limit must be at least 1")
      .max(max, `limit must be at most ${max}`)
      .default(fallback),
  );
}

export const messagesQuerySchema = z
  .object({
    room: z.preprocess(emptyIsAbsent, roomRefSchema.optional()),
    after: messageId,
    before: messageId,
    /** the page around this message (replies jump to their parent): half before it, it, the rest after */
    around: messageId,
    limit: limitParam(LIMITS.pageMax, LIMITS.historyDefault),
  })
  .refine(
    (q) => [q.after, q.before, q.around].filter((v) => v !== undefined).length <= 1,
    "give one of after, before or around",
  );
export type MessagesQuery = z.infer<typeof messagesQuerySchema>;

// ---- what the server sends: every payload a schema, its type derived (clients validate with these) ----
export const reactionSchema = z.object({ emoji: z.string(), count: z.number().int(), users: z.array(z.string()) });
export type Reaction = z.infer<typeof reactionSchema>;

/** What a reply shows of its parent: the parent's current content, cut to LIMITS.replyQuoteMax ("" once deleted). */
export const replyRefSchema = z.object({
  id: z.number().int(),
  username: z.string(),
  content: z.string(),
  /** the parent is a webhook's post under this name (`username` is then the member who made the hook) */
  botName: z.string().nullable().optional(),
});
export type ReplyRef = z.infer<typeof replyRefSchema>;

/** An uploaded file as messages and POST /api/uploads carry it. `url` serves the bytes (with the access check). */
export const fileSchema = z.object({
  id: z.string(),
  /** the uploader's file name, sanitised */
  name: z.string(),
  /** bytes */
  size: z.number().int(),
  /** MIME type sniffed from the bytes (application/octet-stream when unknown) */
  type: z.string(),
  url: z.string(),
  /** images (PNG, JPEG, GIF, WebP): pixels, as displayed (EXIF orientation applied) */
  width: z.number().int().optional(),
  height: z.number().int().optional(),
  /** images: a small WebP rendition */
  thumbnailUrl: z.string().optional(),
});
export type FileInfo = z.infer<typeof fileSchema>;

/** The types a browser may show inline (by their bytes); every other file is served as an attachment. */
export const INLINE_IMAGE_TYPES: readonly string[] = ["image/png", "image/jpeg", "image/gif", "image/webp"];
export const isInlineImage = (f: Pick<FileInfo, "type">): boolean => INLINE_IMAGE_TYPES.includes(f.type);
export const botSchema = z.object({ name: z.string(), iconUrl: z.string().nullable() });
export type Bot = z.infer<typeof botSchema>;

export const messageSchema = z.object({
  /** increases in commit order */
  id: z.number().int(),
  username: z.string(),
  /** "" once deleted */
  content: z.string(),
  /** ISO 8601 UTC */
  timestamp: z.string(),
  room: z.string(),
  clientId: z.string().optional(),
  /** one server-wide sequence, taken in commit order at every create and change: a message's only grows */
  seq: z.number().int(),
  /** ISO 8601 of the last edit, or null */
  editedAt: z.string().nullable(),
  /** a tombstone: the row stays (so catch-up can tell clients), content and reactions gone */
  deleted: z.boolean(),
  reactions: z.array(reactionSchema),
  replyTo: replyRefSchema.nullable(),
  /** usernames the server found mentioned in the content (@user, @room, @here); [] once deleted */
  mentions: z.array(z.string()),
  /** attached files, in the order sent; [] when none and once deleted */
  files: z.array(fileSchema).default([]),
  /** the author's display name now (null: show the username); absent from servers before profiles */
  displayName: z.string().nullable().optional(),
  /** the author's avatar now (null: the initials avatar); absent from servers before profiles */
  avatarUrl: z.string().nullable().optional(),
  /**
   * Set when an incoming webhook posted it (null for people): the name and icon it shows, always marked as a
   * bot; `username` is then the member who made the hook. The server always sends it (null for people).
   */
  bot: botSchema.nullable().optional(),
});
export type Message = z.infer<typeof messageSchema>;

export const historyPayloadSchema = z.object({
  messages: z.array(messageSchema),
  /** gap fill was capped at LIMITS.gapFillMax: page the rest over REST */
  truncated: z.boolean().optional(),
});
export type HistoryPayload = z.infer<typeof historyPayloadSchema>;

// ---- results and errors ---------------------------------------------------------------------------------
export const ERROR_CODES = [
  "bad_request",
  "invalid_input",
  "unauthorized",
  "forbidden",
  "not_found",
  "conflict",
  "rate_limited",
  "too_large",
  "internal",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** The HTTP status each error code is answered with (and that a socket refusal stands for). */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  invalid_input: 422,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 400,
  rate_limited: 429,
  too_large: 413,
  internal: 500,
};

export const wireErrorSchema = z.object({ code: z.enum(ERROR_CODES), detail: z.string() });
export type WireError = z.infer<typeof wireErrorSchema>;

export type Ack<T extends object> = ({ ok: true } & T) | { ok: false; error: WireError };

/** The schema of an ack whose success carries `fields`. */
export function ackSchema<S extends z.ZodRawShape>(fields: S) {
  return z.discriminatedUnion("ok", [
    z.object({ ok: z.literal(true), ...fields }),
    z.object({ ok: z.literal(false), error: wireErrorSchema }),
  ]);
}

// ---- socket.io ------------------------------------------------------------------------------------------
export const socketAuthSchema = z.object({
  token: z.string().min(1).max(512).optional(),
  /** last message id the client has seen: history then carries exactly what came after it */
  lastMessageId: z.coerce.number().int().min(0).optional(),
  /** the highest seq the client has seen: history then carries every message created or changed after it */
  since: z.coerce.number().int().min(0).optional(),
});
export type SocketAuth = z.infer<typeof socketAuthSchema>;

export const roomSummarySchema = z.object({
  name: z.string(),
  kind: z.enum(["room", "dm"]),
  private: z.boolean(),
  /** messages by others after this user's read marker */
  unread: z.number().int(),
  /** unread messages that mention this user (in a DM: every unread one) */
  mentions: z.number().int(),
  lastMessageId: z.number().int(),
  lastReadId: z.number().int(),
  /** the other user of a direct-message room */
  peer: z.string().optional(),
});
export type RoomSummary = z.infer<typeof roomSummarySchema>;

export const userSummarySchema = z.object({
  username: z.string(),
  online: z.boolean(),
  /** ISO 8601; null if never connected */
  lastSeen: z.string().nullable(),
  /** present (true) for an account an admin deactivated: their messages stay, shown as theirs */
  deactivated: z.literal(true).optional(),
  /** the profile (null when not set); optional so a summary made from a presence event needs none */
  displayName: z.string().nullable().optional(),
  avatarUrl: z.string().nullable().optional(),
  status: z.string().nullable().optional(),
});
export type UserSummary = z.infer<typeof userSummarySchema>;

// ---- profiles, settings and sessions (SPEC.md "Accounts, sessions, administration") ----------------------
/** C0 and C1 controls, and the bidirectional overrides and isolates that can make a name read backwards */
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const CONTROL_OR_BIDI = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

export const displayNameSchema = userText("displayName must be a string")
  .trim()
  .min(1, "display name is empty")
  .refine(
    (s) => characterCount(s) <= LIMITS.displayNameMax,
    `display name must be at most ${LIMITS.displayNameMax} characters`,
  )
  .refine((s) => !CONTROL_OR_BIDI.test(s), "display name may not contain control characters");

/** A status line; "" clears it. */
export const statusTextSchema = userText("status must be a string")
  .trim()
  .refine((s) => characterCount(s) <= LIMITS.statusMax, `status must be at most ${LIMITS.statusMax} characters`)
  .refine((s) => !CONTROL_OR_BIDI.test(s), "status may not contain control characters");

/** PATCH /api/me: null (or "" for status) clears a field; absent leaves it */
export const profilePatchSchema = z
  .object(
    {
      displayName: displayNameSchema.nullable().optional(),
      status: statusTextSchema.nullable().optional(),
    },
    {
      error: (issue) =>
        issue.code === "unrecognized_keys"
          ? `only displayName and status can be changed here, not ${issue.keys.join(", ")}`
          : "body must be a JSON object with displayName and/or status",
    },
  )
  .strict()
  .refine((p) => p.displayName !== undefined || p.status !== undefined, "give displayName or status");
export type ProfilePatch = z.infer<typeof profilePatchSchema>;

/** What everyone sees of a user; also the `user:updated` event's payload. */
export const userProfileSchema = z.object({
  username: z.string(),
  /** null: show the username */
  displayName: z.string().nullable(),
  /** null: the initials avatar; else a URL serving the 256 px image (see avatarSrc for the small one) */
  avatarUrl: z.string().nullable(),
  status: z.string().nullable(),
});
export type UserProfile = z.infer<typeof userProfileSchema>;

/** GET and PATCH /api/me: the signed-in user's own profile */
export const meResponseSchema = userProfileSchema.extend({
  /** an administrator (SPEC: the first account is one) */
  admin: z.boolean(),
  /** ISO 8601 */
  createdAt: z.string(),
});
export type MeResponse = z.infer<typeof meResponseSchema>;
/** POST /api/me/avatar */
export const avatarResponseSchema = z.object({ avatarUrl: z.string() });
/** where avatars are served: `${AVATAR_PATH}/<id>` (the id changes with every upload) */
export const AVATAR_PATH = "/api/avatars";

/** The URL an avatar's id is served at (null: no avatar). */
export const avatarUrlFor = (avatarId: string | null | undefined): string | null =>
  avatarId ? `${AVATAR_PATH}/${avatarId}` : null;

/** The URL of an avatar at `px` or less: the 64 px image where that is enough, else the 256 px one. */
export function avatarSrc(avatarUrl: string, px: number): string {
  return px <= LIMITS.avatarSmall ? `${avatarUrl}?size=${LIMITS.avatarSmall}` : avatarUrl;
}

/** POST /api/me/password */
export const passwordChangeSchema = z.object(
  {
    current: z.string({ error: "current must be a string" }).min(1, "current password is empty").max(1024),
    password: passwordSchema,
  },
  { error: "body must be a JSON object with current and password" },
);
export type PasswordChange = z.infer<typeof passwordChangeSchema>;

/** One signed-in session (GET /api/me/sessions) */
export const sessionInfoSchema = z.object({
  id: z.number().int(),
  /** the session this request came with */
  current: z.boolean(),
  /** ISO 8601 */
  createdAt: z.string(),
  lastUsedAt: z.string(),
  /** as the login sent it; null when unknown */
  userAgent: z.string().nullable(),
  /** a person's name for it ("Firefox on Linux", "Terminal client"), from the user agent */
  device: z.string(),
});
export type SessionInfo = z.infer<typeof sessionInfoSchema>;
export const sessionsResponseSchema = z.object({ sessions: z.array(sessionInfoSchema) });
/** DELETE /api/me/sessions (every other session) */
export const revokedResponseSchema = z.object({ revoked: z.number().int() });

/** A public room in the directory (GET /api/rooms?directory=1). */
export const directoryEntrySchema = z.object({ name: z.string(), joined: z.boolean() });
export type DirectoryEntry = z.infer<typeof directoryEntrySchema>;

/** Where a message goes: a room (by name) or a user (a direct message). */
export type MessageAddress = { room: string } | { to: string };

// server → client event payloads
export const roomLeftSchema = z.object({ room: z.string() });
export const roomMemberSchema = z.object({ room: z.string(), username: z.string(), joined: z.boolean() });
export type RoomMemberEvent = z.infer<typeof roomMemberSchema>;
export const roomReadEventSchema = z.object({
  room: z.string(),
  lastReadId: z.number().int(),
  unread: z.number().int(),
  /** unread messages that mention this user (in a DM: every unread one), also up to countedThrough */
  mentions: z.number().int(),
  /** the newest message id `unread` covers: anything newer the client holds is unread on top */
  countedThrough: z.number().int(),
});
export type ReadMarker = z.infer<typeof roomReadEventSchema>;
export const typingEventSchema = z.object({ room: z.string(), username: z.string() });
export type TypingEvent = z.infer<typeof typingEventSchema>;
export const presenceEventSchema = z.object({ username: z.string(), online: z.boolean() });
export type PresenceEvent = z.infer<typeof presenceEventSchema>;
/** The server closes this socket next because the account has too many open (the oldest goes): do not retry. */
export const TOO_MANY_CONNECTIONS = "too_many_connections";
export const errorEventSchema = z.object({ detail: z.string(), code: z.literal(TOO_MANY_CONNECTIONS).optional() });

/** Every server → client socket.io event's payload schema (ServerToClientEvents follows from it). */
export const serverEventSchemas = {
  history: historyPayloadSchema,
  "message:new": messageSchema,
  /** a message was edited, deleted, or its reactions changed: its whole current state */
  "message:updated": messageSchema,
  error: errorEventSchema,
  "room:joined": roomSummarySchema,
  "room:left": roomLeftSchema,
  "room:member": roomMemberSchema,
  "room:read": roomReadEventSchema,
  typing: typingEventSchema,
  presence: presenceEventSchema,
  "user:updated": userProfileSchema,
} as const;

// acks
export const sendAckSchema = ackSchema({ message: messageSchema });
export const roomAckSchema = ackSchema({ room: roomSummarySchema });
export const joinAckSchema = ackSchema({ room: roomSummarySchema, messages: z.array(messageSchema) });
export const emptyAckSchema = ackSchema({});
export const readAckSchema = ackSchema({
  unread: z.number().int(),
  mentions: z.number().int(),
  countedThrough: z.number().int(),
});
export const pageAckSchema = ackSchema({ messages: z.array(messageSchema) });

export const roomCreateSchema = z.object(
  { name: roomNameSchema, private: z.boolean({ error: "private must be true or false" }).optional() },
  { error: "payload must be an object with name" },
);
export const roomJoinSchema = z.object({ room: roomRefSchema }, { error: "payload must be an object with room" });
export const roomInviteSchema = z.object(
  { room: roomRefSchema, username: usernameSchema },
  { error: "payload must be an object with room and username" },
);
export const roomReadSchema = z.object(
  { room: roomRefSchema, lastReadId: z.number({ error: "lastReadId must be a number" }).int().min(0) },
  { error: "payload must be an object with room and lastReadId" },
);
export const typingSchema = roomJoinSchema;

type Reply<T extends object> = (result: Ack<T>) => void;

type Payload<E extends keyof typeof serverEventSchemas> = z.infer<(typeof serverEventSchemas)[E]>;
export interface ServerToClientEvents {
  history: (payload: Payload<"history">) => void;
  "message:new": (message: Payload<"message:new">) => void;
  "message:updated": (message: Payload<"message:updated">) => void;
  error: (payload: Payload<"error">) => void;
  /** this user was added to a room (created, joined, invited, first DM) — on all their sockets */
  "room:joined": (room: Payload<"room:joined">) => void;
  "room:left": (payload: Payload<"room:left">) => void;
  /** someone else joined or left a room this user is in (to keep member lists current) */
  "room:member": (payload: Payload<"room:member">) => void;
  /** the read marker moved (from any of this user's sockets) */
  "room:read": (payload: Payload<"room:read">) => void;
  typing: (payload: Payload<"typing">) => void;
  presence: (payload: Payload<"presence">) => void;
  /** someone's display name, status or avatar changed (to every socket: messages and lists show them) */
  "user:updated": (profile: Payload<"user:updated">) => void;
}

export interface ClientToServerEvents {
  "message:send": (payload: SendMessageInput, ack: Reply<{ message: Message }>) => void;
  "message:edit": (payload: z.input<typeof editMessageSchema>, ack: Reply<{ message: Message }>) => void;
  "message:delete": (payload: z.input<typeof deleteMessageSchema>, ack: Reply<{ message: Message }>) => void;
  "reaction:add": (payload: z.input<typeof reactionInputSchema>, ack: Reply<{ message: Message }>) => void;
  "reaction:remove": (payload: z.input<typeof reactionInputSchema>, ack: Reply<{ message: Message }>) => void;
  "room:create": (payload: z.input<typeof roomCreateSchema>, ack: Reply<{ room: RoomSummary }>) => void;
  "room:join": (payload: { room: string }, ack: Reply<{ room: RoomSummary; messages: Message[] }>) => void;
  "room:leave": (payload: { room: string }, ack: Reply<object>) => void;
  "room:invite": (payload: { room: string; username: string }, ack: Reply<object>) => void;
  "room:read": (
    payload: { room: string; lastReadId: number },
    ack: Reply<{ unread: number; mentions: number; countedThrough: number }>,
  ) => void;
  typing: (payload: { room: string }) => void;
  /** extension: a history page, as GET /api/messages answers it (same query fields, same refusals) */
  "messages:page": (payload: z.input<typeof messagesQuerySchema>, ack: Reply<MessagesResponse>) => void;
  /** extension: GET /api/search over the socket (same query fields, same answer and refusals) */
  search: (payload: z.input<typeof searchQuerySchema>, ack: Reply<SearchResponse>) => void;
}

export const SOCKET_PATH = "/socket.io";
/** POST here (multipart, one part `file`) to upload */
export const UPLOADS_PATH = "/api/uploads";
/** a file's bytes: `${FILES_PATH}/<id>`, its thumbnail `${FILES_PATH}/<id>/thumbnail` */
export const FILES_PATH = "/api/files";
export const WS_PATH = "/ws";
export const SESSION_COOKIE = "chatterbox_session";
/** The cookie's name over HTTPS: the __Host- prefix makes browsers refuse it unless Secure, host-only, Path=/. */
export const SECURE_SESSION_COOKIE = `__Host-${SESSION_COOKIE}`;

// ---- plain WebSocket (the seed's protocol) --------------------------------------------------------------
export const wsServerFrameSchema = z.discriminatedUnion("type", [
  historyPayloadSchema.extend({ type: z.literal("history") }),
  messageSchema.extend({ type: z.literal("message") }),
  messageSchema.extend({ type: z.literal("updated") }),
  errorEventSchema.extend({ type: z.literal("error") }),
]);
export type WsServerFrame = z.infer<typeof wsServerFrameSchema>;

export const wsClientFrameSchema = z
  .object({
    content: optionalContentSchema,
    clientId: clientIdSchema.optional(),
    /** extension: a room the user is a member of (default general) */
    room: roomRefSchema.optional(),
    replyTo: messageIdSchema.optional(),
    /** extension: uploads to attach, as message:send takes them */
    files: fileIdsSchema.optional(),
  })
  .refine(hasContentOrFiles, "message is empty: give content, or files");
/** Message actions over the plain WebSocket (a frame with a `type` other than "message"). */
export const wsActionFrameSchema = z.discriminatedUnion("type", [
  editMessageSchema.extend({ type: z.literal("edit") }),
  deleteMessageSchema.extend({ type: z.literal("delete") }),
  reactionInputSchema.extend({ type: z.literal("react") }),
  reactionInputSchema.extend({ type: z.literal("unreact") }),
]);
export type WsActionFrame = z.infer<typeof wsActionFrameSchema>;

// ---- REST responses -------------------------------------------------------------------------------------
export const loginResponseSchema = z.object({ token: z.string().min(1) });
export type LoginResponse = z.infer<typeof loginResponseSchema>;
export const messagesResponseSchema = z.object({ messages: z.array(messageSchema) });
export type MessagesResponse = z.infer<typeof messagesResponseSchema>;
export const roomsResponseSchema = z.object({ rooms: z.array(roomSummarySchema) });
export type RoomsResponse = z.infer<typeof roomsResponseSchema>;
/** GET /api/rooms?directory=1: public rooms to join */
export const directoryResponseSchema = z.object({ rooms: z.array(directoryEntrySchema) });
export type DirectoryResponse = z.infer<typeof directoryResponseSchema>;
export const usersResponseSchema = z.object({ users: z.array(userSummarySchema) });
export type UsersResponse = z.infer<typeof usersResponseSchema>;
/** GET /api/rooms/:room/members */
export const membersResponseSchema = z.object({ members: z.array(z.string()) });
export type MembersResponse = z.infer<typeof membersResponseSchema>;
/** GET /api/changes?since=&limit=: what was created or changed after `since`, by seq; `next` continues */
export const changesQuerySchema = z.object({
  since: z.preprocess(emptyIsAbsent, z.coerce.number({ error: "since must be a number" }).int().min(0).default(0)),
  limit: limitParam(LIMITS.changesMax, LIMITS.changesMax),
});
export const changesResponseSchema = z.object({ messages: z.array(messageSchema), next: z.number().int() });
export type ChangesResponse = z.infer<typeof changesResponseSchema>;
/** POST /api/uploads → 201 */
export const uploadResponseSchema = z.object({ file: fileSchema });
export type UploadResponse = z.infer<typeof uploadResponseSchema>;
/** PATCH/DELETE /api/messages/:id and PUT/DELETE …/reactions/:emoji */
export const messageResponseSchema = z.object({ message: messageSchema });

/** GET /api/search?q=&limit=&cursor= and the socket's `search`: the query language is in lib/search/query.ts */
export const searchQuerySchema = z.object({
  q: z.string({ error: "q must be a string" }).max(1000, "q is too long"),
  limit: limitParam(LIMITS.searchMax, LIMITS.searchDefault),
  /** `next` of the page before; absent for the first page */
  cursor: z.preprocess(
    emptyIsAbsent,
    z
      .string({ error: "cursor must be a string" })
      .regex(/^[1-9]\d{0,15}$/, "cursor is not one this server gave")
      .optional(),
  ),
});
export type SearchQuery = z.infer<typeof searchQuerySchema>;
/**
 * One hit: the message as history carries it, and where it matches: [start, end) ranges of UTF-16 indices
 * into `message.content` (String.slice's), sorted and apart. Clients mark those ranges as text; the server
 * never sends markup.
 */
export const searchResultSchema = z.object({
  message: messageSchema,
  highlights: z.array(z.tuple([z.number().int(), z.number().int()])),
});
export type SearchResult = z.infer<typeof searchResultSchema>;
/** newest first; `next` is the cursor of the following page, null on the last */
export const searchResponseSchema = z.object({ results: z.array(searchResultSchema), next: z.string().nullable() });
export type SearchResponse = z.infer<typeof searchResponseSchema>;
export const searchAckSchema = ackSchema(searchResponseSchema.shape);
// ---- notifications and Web Push (SPEC.md "Mentions and notifications") ----------------------------------
/** all: every message; mentions: mentions and DMs (the default); none: nothing (a room set to none is muted) */
export const NOTIFY_LEVELS = ["all", "mentions", "none"] as const;
export type NotifyLevel = (typeof NOTIFY_LEVELS)[number];
export const DEFAULT_NOTIFY_LEVEL: NotifyLevel = "mentions";
const notifyLevelSchema = z.enum(NOTIFY_LEVELS, { error: `level must be one of ${NOTIFY_LEVELS.join(", ")}` });
/** GET /api/me/notifications, and the body of PUT (which replaces the settings; a room at `level` is dropped) */
export const notificationSettingsSchema = z.object(
  {
    level: notifyLevelSchema,
    rooms: z
      .record(z.string().min(1, "a room name is empty").max(80), notifyLevelSchema, {
        error: "rooms must map room names to levels",
      })
      .refine((r) => Object.keys(r).length <= 1000, "at most 1000 rooms"),
  },
  { error: "body must be a JSON object with level and rooms" },
);
export type NotificationSettings = z.infer<typeof notificationSettingsSchema>;
/** GET /api/push/key: the server's VAPID public key (base64url, uncompressed P-256 point) */
export const pushKeyResponseSchema = z.object({ publicKey: z.string() });
const base64url = (what: string, max: number) =>
  z
    .string({ error: `${what} must be a string` })
    .min(1, `${what} is empty`)
    .max(max, `${what} is too long`)
    .regex(/^[A-Za-z0-9_-]+={0,2}$/, `${what} must be base64url`);
/** POST /api/push/subscriptions: a browser PushSubscription's JSON (extra fields such as expirationTime ignored) */
export const pushSubscriptionSchema = z.object(
  {
    endpoint: z.string({ error: "endpoint must be a string" }).max(2048, "endpoint is too long"),
    keys: z.object(
      { p256dh: base64url("keys.p256dh", 200), auth: base64url("keys.auth", 100) },
      { error: "keys must be an object with p256dh and auth" },
    ),
  },
  { error: "body must be a PushSubscription's JSON: {endpoint, keys:{p256dh, auth}}" },
);
export type PushSubscriptionInput = z.infer<typeof pushSubscriptionSchema>;
/** DELETE /api/push/subscriptions */
export const pushUnsubscribeSchema = z.object(
  { endpoint: z.string({ error: "endpoint must be a string" }).max(2048, "endpoint is too long") },
  { error: "body must be a JSON object with endpoint" },
);
/** The decrypted payload of a push: what the service worker shows */
export const pushPayloadSchema = z.object({
  room: z.string(),
  id: z.number().int(),
  username: z.string(),
  body: z.string(),
});
export type PushPayload = z.infer<typeof pushPayloadSchema>;

// ---- administration -------------------------------------------------------------------------------------
/** REGISTRATION and the admin page's setting: who may create an account */
export const REGISTRATION_MODES = ["open", "invite", "closed"] as const;
export const registrationModeSchema = z.enum(REGISTRATION_MODES, {
  error: `registration must be one of ${REGISTRATION_MODES.join(", ")}`,
});
export type RegistrationMode = z.infer<typeof registrationModeSchema>;

/** GET and PUT /api/admin/settings */
export const adminSettingsSchema = z.object({ registration: registrationModeSchema });
export type AdminSettings = z.infer<typeof adminSettingsSchema>;
export const adminSettingsResponseSchema = adminSettingsSchema.extend({
  /** what REGISTRATION sets when no admin has chosen */
  registrationDefault: registrationModeSchema,
});
export type AdminSettingsResponse = z.infer<typeof adminSettingsResponseSchema>;

export const adminUserSchema = z.object({
  username: z.string(),
  admin: z.boolean(),
  deactivated: z.boolean(),
  /** ISO 8601 */
  createdAt: z.string(),
  lastSeen: z.string().nullable(),
});
export type AdminUser = z.infer<typeof adminUserSchema>;
/** GET /api/admin/users?q= */
export const adminUsersResponseSchema = z.object({ users: z.array(adminUserSchema) });
/** POST /api/admin/users/<username>/… */
export const adminUserResponseSchema = z.object({ user: adminUserSchema });

/** POST /api/admin/invites */
export const createInviteSchema = z
  .object(
    {
      expiresInHours: z
        .number({ error: "expiresInHours must be a number" })
        .int("expiresInHours must be a whole number")
        .min(1, "expiresInHours must be at least 1")
        .max(24 * 365, "expiresInHours must be at most 8760 (a year)")
        .default(24 * 7),
      uses: z
        .number({ error: "uses must be a number" })
        .int("uses must be a whole number")
        .min(1, "uses must be at least 1")
        .max(1000, "uses must be at most 1000")
        .default(1),
    },
    { error: "body must be a JSON object (expiresInHours?, uses?)" },
  )
  .strict();
export type CreateInvite = z.infer<typeof createInviteSchema>;
/** 201: the code is shown this once (only its hash is kept) */
export const inviteCreatedSchema = z.object({
  invite: z.object({ id: z.number().int(), code: z.string(), url: z.string(), expiresAt: z.string() }),
});
export type InviteCreated = z.infer<typeof inviteCreatedSchema>;
export const INVITE_STATES = ["active", "expired", "used"] as const;
export const adminInviteSchema = z.object({
  id: z.number().int(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  expiresAt: z.string(),
  uses: z.number().int(),
  used: z.number().int(),
  state: z.enum(INVITE_STATES),
});
export type AdminInvite = z.infer<typeof adminInviteSchema>;
/** GET /api/admin/invites: the invites not revoked, newest first */
export const adminInvitesResponseSchema = z.object({ invites: z.array(adminInviteSchema) });

/** POST /api/admin/users/<username>/password-reset → 201: the one-time link, shown this once */
export const passwordResetCreatedSchema = z.object({ reset: z.object({ url: z.string(), expiresAt: z.string() }) });
export type PasswordResetCreated = z.infer<typeof passwordResetCreatedSchema>;
/** POST /api/password-reset: the link's token and the new password */
export const passwordResetSchema = z.object(
  { token: z.string({ error: "token must be a string" }).min(1, "token is empty").max(200), password: passwordSchema },
  { error: "body must be a JSON object with token and password" },
);

export const auditEntrySchema = z.object({
  id: z.number().int(),
  actor: z.string(),
  action: z.string(),
  target: z.string().nullable(),
  /** ISO 8601 */
  at: z.string(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;
/** GET /api/admin/audit: newest first */
export const auditLogResponseSchema = z.object({ entries: z.array(auditEntrySchema) });
// ---- integrations: personal access tokens and incoming webhooks (SPEC.md "Integrations") ---------------
const labelSchema = (what: string, max: number) =>
  userText(`${what} must be a string`)
    .trim()
    .min(1, `${what} is empty`)
    .max(max, `${what} must be at most ${max} characters`)
    .refine((s) => !/\p{Cc}/u.test(s), `${what} may not contain control characters`);

/** POST /api/me/tokens */
export const createApiTokenSchema = z.object(
  { name: labelSchema("name", 64) },
  { error: "body must be a JSON object with name" },
);
/** 201 from POST /api/me/tokens: `token` is shown this once */
export const createdApiTokenSchema = z.object({
  token: z.string(),
  id: z.number().int(),
  name: z.string(),
  createdAt: z.string(),
});
export type CreatedApiToken = z.infer<typeof createdApiTokenSchema>;
export const apiTokenInfoSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  createdAt: z.string(),
  /** ISO 8601 (to the minute), null when never used */
  lastUsedAt: z.string().nullable(),
  /** the token this request came with */
  current: z.boolean(),
});
export type ApiTokenInfo = z.infer<typeof apiTokenInfoSchema>;
export const apiTokensResponseSchema = z.object({ tokens: z.array(apiTokenInfoSchema) });
export type ApiTokensResponse = z.infer<typeof apiTokensResponseSchema>;

/** DELETE /api/me/tokens/<id> and /api/hooks/<id> */
export const revokedIdResponseSchema = z.object({ id: z.number().int() });

/** POST /api/hooks */
export const createHookSchema = z.object(
  { room: roomRefSchema, name: labelSchema("name", 64) },
  { error: "body must be a JSON object with room and name" },
);
export const hookSchema = z.object({
  id: z.number().int(),
  room: z.string(),
  name: z.string(),
  /** who made it */
  createdBy: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  /** `<server origin>/hooks/<secret>`: only in the answer to POST /api/hooks (the secret is kept hashed) */
  url: z.string().optional(),
});
export type Hook = z.infer<typeof hookSchema>;
export const createdHookResponseSchema = z.object({ hook: hookSchema.required({ url: true }) });
export type CreatedHookResponse = z.infer<typeof createdHookResponseSchema>;
export const hooksResponseSchema = z.object({ hooks: z.array(hookSchema) });
export type HooksResponse = z.infer<typeof hooksResponseSchema>;

/** A Slack/Mattermost attachment: rendered as a bold (linked) title, its text or its fallback. */
const hookAttachmentSchema = z.looseObject({
  title: z.string().optional(),
  title_link: z.string().optional(),
  text: z.string().optional(),
  pretext: z.string().optional(),
  fallback: z.string().optional(),
});
/** The body of POST /hooks/<secret> as Slack and Mattermost take it (other fields are ignored). */
export const hookPayloadSchema = z.looseObject(
  {
    text: z.string({ error: "text must be a string" }).optional(),
    username: labelSchema("username", 64).optional(),
    icon_url: z
      .url({ protocol: /^https?$/, error: "icon_url must be an http(s) URL" })
      .max(2048, "icon_url is too long")
      .optional(),
    attachments: z.array(hookAttachmentSchema, { error: "attachments must be a list" }).max(20).optional(),
  },
  { error: 'body must be a JSON object such as {"text": "Hello"}' },
);
export type HookPayload = z.infer<typeof hookPayloadSchema>;

/** Any refusal's body: `{ code?, detail }` */
export const errorBodySchema = z.object({ detail: z.string() });

/** The first issue's message, phrased for a person. */
export function describeZodError(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "invalid input";
  return issue.message;
}
