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
  historyDefault: 50,
  pageMax: 500,
  /** reconnect gap fill: beyond this the history says truncated and the client pages over REST */
  gapFillMax: 1000,
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

// ---- messages -------------------------------------------------------------------------------------------
/** Characters as people count them: code points, so an emoji is one, not two UTF-16 units. */
export const characterCount = (s: string): number => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

export const contentSchema = z
  .string({ error: "content must be a string" })
  .trim()
  .min(1, "message is empty")
  .refine((s) => characterCount(s) <= LIMITS.contentMax, `message is longer than ${LIMITS.contentMax} characters`);

/**
 * Largest frame a valid message can need: each character JSON-escaped as a surrogate pair (`\ud83d\ude00`,
 * 12 bytes), plus room for the envelope.
 */
export const MAX_FRAME_BYTES = LIMITS.contentMax * 12 + 4096;

export const clientIdSchema = z.string().uuid("clientId must be a UUID");

// ---- rooms ----------------------------------------------------------------------------------------------
export const roomNameSchema = z
  .string({ error: "room must be a string" })
  .trim()
  .min(1, "room name is empty")
  .max(40, "room name must be at most 40 characters")
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
      content: contentSchema,
      clientId: clientIdSchema.optional(),
      room: roomRefSchema.optional(),
      /** a direct message to this user (instead of `room`) */
      to: usernameSchema.optional(),
    },
    { error: "payload must be an object with content" },
  )
  .refine((p) => !(p.room && p.to), "give either room or to, not both");
export type SendMessageInput = z.infer<typeof sendMessageSchema>;

// an empty query value (`?after=`) is absent, not zero
const emptyIsAbsent = (v: unknown) => (v === "" ? undefined : v);
const messageId = z.preprocess(
  emptyIsAbsent,
  z.coerce.number({ error: "must be a message id" }).int("must be an integer").min(0, "must be ≥ 0").optional(),
);

export const messagesQuerySchema = z
  .object({
    room: z.preprocess(emptyIsAbsent, roomRefSchema.optional()),
    after: messageId,
    before: messageId,
    limit: z.preprocess(
      emptyIsAbsent,
      z.coerce
        .number({ error: "limit must be a number" })
        .int("limit must be an integer")
        .min(1, "limit must be at least 1")
        .max(LIMITS.pageMax, `limit must be at most ${LIMITS.pageMax}`)
        .default(LIMITS.historyDefault),
    ),
  })
  .refine((q) => q.after === undefined || q.before === undefined, "give either after or before, not both");
export type MessagesQuery = z.infer<typeof messagesQuerySchema>;

export interface Message {
  /** increases in commit order */
  id: number;
  username: string;
  content: string;
  /** ISO 8601 UTC */
  timestamp: string;
  room: string;
  clientId?: string;
}

export interface HistoryPayload {
  messages: Message[];
  /** gap fill was capped at LIMITS.gapFillMax: page the rest over REST */
  truncated?: boolean;
}

// ---- results and errors ---------------------------------------------------------------------------------
export const ERROR_CODES = [
  "bad_request",
  "invalid_input",
  "unauthorized",
  "forbidden",
  "not_found",
  "conflict",
  "rate_limited",
  "internal",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface WireError {
  code: ErrorCode;
  detail: string;
}

export type Ack<T extends object> = ({ ok: true } & T) | { ok: false; error: WireError };

// ---- socket.io ------------------------------------------------------------------------------------------
export const socketAuthSchema = z.object({
  token: z.string().min(1).max(512).optional(),
  /** last message id the client has seen: history then carries exactly what came after it */
  lastMessageId: z.coerce.number().int().min(0).optional(),
});
export type SocketAuth = z.infer<typeof socketAuthSchema>;

export interface RoomSummary {
  name: string;
  kind: "room" | "dm";
  private: boolean;
  /** messages by others after this user's read marker */
  unread: number;
  lastMessageId: number;
  lastReadId: number;
  /** the other user of a direct-message room */
  peer?: string;
}

export interface UserSummary {
  username: string;
  online: boolean;
  /** ISO 8601; null if never connected */
  lastSeen: string | null;
}

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

export interface ServerToClientEvents {
  history: (payload: HistoryPayload) => void;
  "message:new": (message: Message) => void;
  error: (payload: { detail: string }) => void;
  /** this user was added to a room (created, joined, invited, first DM) — on all their sockets */
  "room:joined": (room: RoomSummary) => void;
  "room:left": (payload: { room: string }) => void;
  /** someone else joined or left a room this user is in (to keep member lists current) */
  "room:member": (payload: { room: string; username: string; joined: boolean }) => void;
  /** the read marker moved (from any of this user's sockets) */
  "room:read": (payload: { room: string; lastReadId: number; unread: number }) => void;
  typing: (payload: { room: string; username: string }) => void;
  presence: (payload: { username: string; online: boolean }) => void;
}

export interface ClientToServerEvents {
  "message:send": (payload: SendMessageInput, ack: Reply<{ message: Message }>) => void;
  "room:create": (payload: z.input<typeof roomCreateSchema>, ack: Reply<{ room: RoomSummary }>) => void;
  "room:join": (payload: { room: string }, ack: Reply<{ room: RoomSummary; messages: Message[] }>) => void;
  "room:leave": (payload: { room: string }, ack: Reply<object>) => void;
  "room:invite": (payload: { room: string; username: string }, ack: Reply<object>) => void;
  "room:read": (payload: { room: string; lastReadId: number }, ack: Reply<{ unread: number }>) => void;
  typing: (payload: { room: string }) => void;
  /** extension: a history page, as GET /api/messages answers it (same query fields, same refusals) */
  "messages:page": (payload: z.input<typeof messagesQuerySchema>, ack: Reply<MessagesResponse>) => void;
}

export const SOCKET_PATH = "/socket.io";
export const WS_PATH = "/ws";
export const SESSION_COOKIE = "chatterbox_session";
/** The cookie's name over HTTPS: the __Host- prefix makes browsers refuse it unless Secure, host-only, Path=/. */
export const SECURE_SESSION_COOKIE = `__Host-${SESSION_COOKIE}`;

// ---- plain WebSocket (the seed's protocol) --------------------------------------------------------------
export type WsServerFrame =
  | { type: "history"; messages: Message[]; truncated?: boolean }
  | ({ type: "message" } & Message)
  | { type: "error"; detail: string };

export const wsClientFrameSchema = z.object({
  content: contentSchema,
  clientId: clientIdSchema.optional(),
  /** extension: a room the user is a member of (default general) */
  room: roomRefSchema.optional(),
});

// ---- REST responses -------------------------------------------------------------------------------------
export interface LoginResponse {
  token: string;
}
export interface MessagesResponse {
  messages: Message[];
}
export interface RoomsResponse {
  rooms: RoomSummary[];
}
/** GET /api/rooms?directory=1: public rooms to join */
export interface DirectoryResponse {
  rooms: { name: string; joined: boolean }[];
}
export interface UsersResponse {
  users: UserSummary[];
}

/** The first issue's message, phrased for a person. */
export function describeZodError(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "invalid input";
  return issue.message;
}
