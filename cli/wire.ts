// Runtime checks for what the server sends. The types are lib/protocol's; these guards only make sure a
// malformed payload is skipped instead of crashing the client or printing "undefined".
import type { Message, RoomSummary, UserSummary, WireError } from "../lib/protocol";

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function isMessage(value: unknown): value is Message {
  return (
    isRecord(value) &&
    typeof value.id === "number" &&
    Number.isInteger(value.id) &&
    typeof value.username === "string" &&
    typeof value.content === "string" &&
    typeof value.timestamp === "string"
  );
}

/** The messages of a payload's `messages` array that are well formed. */
export function messagesOf(payload: unknown): Message[] {
  if (!isRecord(payload) || !Array.isArray(payload.messages)) return [];
  return payload.messages.filter(isMessage);
}

export function isWireError(value: unknown): value is WireError {
  return isRecord(value) && typeof value.code === "string" && typeof value.detail === "string";
}

/** The `detail` of an error body, if it has one. */
export function detailOf(body: unknown): string | undefined {
  return isRecord(body) && typeof body.detail === "string" ? body.detail : undefined;
}

export function isRoomSummary(value: unknown): value is RoomSummary {
  return (
    isRecord(value) &&
    typeof value.name === "string" &&
    (value.kind === "room" || value.kind === "dm") &&
    typeof value.private === "boolean" &&
    typeof value.unread === "number" &&
    typeof value.lastMessageId === "number" &&
    typeof value.lastReadId === "number" &&
    (value.peer === undefined || typeof value.peer === "string")
  );
}

export function isUserSummary(value: unknown): value is UserSummary {
  return (
    isRecord(value) &&
    typeof value.username === "string" &&
    typeof value.online === "boolean" &&
    (value.lastSeen === null || typeof value.lastSeen === "string")
  );
}
