// What `tail`, `export` and `send --json` print: one event per line, as JSON (JSON Lines) or as text for
// people. Rooms are named as users know them (`#ops`, `@bob`), times are full ISO 8601 in JSON and local
// `YYYY-MM-DD HH:MM` in text. The schema is exported so tests (and scripts in TypeScript) parse the lines.
import { z } from "zod";
import { botSchema, messageSchema, type Message } from "../../lib/protocol";
import { authorLabel } from "../render";
import { sanitizeInline } from "../sanitize";
import { roomLabel } from "./context";

export const EVENT_TYPES = ["message", "edit", "delete", "reaction"] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const messageRecordSchema = z.object({
  type: z.enum(EVENT_TYPES),
  id: z.number().int(),
  /** `#ops`, or `@bob` for the direct messages with bob */
  room: z.string(),
  /** the member's username; for a webhook's post, the member who made the hook (`bot` says it is a bot) */
  username: z.string(),
  /** a webhook's post: the name (and icon) it posted under; null for people */
  bot: botSchema.nullable().default(null),
  /** "" once deleted */
  content: z.string(),
  /** when it was sent, ISO 8601 UTC */
  timestamp: z.iso.datetime(),
  editedAt: z.iso.datetime().nullable(),
  deleted: z.boolean(),
  /** the id of the message it answers */
  replyTo: z.number().int().nullable(),
  reactions: messageSchema.shape.reactions,
  mentions: z.array(z.string()),
});
export type MessageRecord = z.infer<typeof messageRecordSchema>;

export function messageRecord(type: EventType, m: Message, self: string): MessageRecord {
  return {
    type,
    id: m.id,
    room: roomLabel(m.room, self),
    username: m.username,
    bot: m.bot ?? null,
    content: m.content,
    timestamp: m.timestamp,
    editedAt: m.editedAt,
    deleted: m.deleted,
    replyTo: m.replyTo?.id ?? null,
    reactions: m.reactions,
    mentions: m.mentions,
  };
}

const pad2 = (n: number) => String(n).padStart(2, "0");

/** `2026-12-06 14:05`, local time (a script wanting UTC reads the JSON). */
export function localDateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "????-??-?? --:--";
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
}

/** One line: newlines in the content shown as `\n`, control characters stripped. */
const oneLine = (text: string) => sanitizeInline(text.replace(/\r?\n/g, "\\n"));

/**
 * `2026-12-06 14:05 #ops alice: hello` for a message; an edit, a delete or a reaction says so after the name.
 * `withRoom` false leaves the room out (an export is one room).
 */
export function textLine(type: EventType, m: Message, self: string, withRoom = true): string {
  const room = withRoom ? `${sanitizeInline(roomLabel(m.room, self))} ` : "";
  const name = authorLabel(m);
  switch (type) {
    case "message":
      return `${localDateTime(m.timestamp)} ${room}${name}: ${oneLine(m.content)}`;
    case "edit":
      return `${localDateTime(m.editedAt ?? m.timestamp)} ${room}* ${name} edited a message: ${oneLine(m.content)}`;
    case "delete":
      return `${localDateTime(new Date().toISOString())} ${room}* a message by ${name} was deleted`;
    case "reaction": {
      const tally = m.reactions.map((r) => `${sanitizeInline(r.emoji)} ${r.count}`).join(" ") || "none";
      return `${localDateTime(new Date().toISOString())} ${room}* reactions on a message by ${name}: ${tally}`;
    }
  }
}

/** The line for an event in the chosen format. */
export const eventLine = (type: EventType, m: Message, self: string, json: boolean, withRoom = true): string =>
  json ? JSON.stringify(messageRecord(type, m, self)) : textLine(type, m, self, withRoom);
