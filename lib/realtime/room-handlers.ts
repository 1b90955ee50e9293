// room:create / join / leave / invite / read and typing. Membership changes reach every socket of the
// users concerned through the services' events (see socket-io.ts), not through these handlers.
import { roomCreateSchema, roomInviteSchema, roomJoinSchema, roomReadSchema, typingSchema } from "../protocol";
import { acked, type HandlerTable } from "./acked";
import { roomKey, userKey } from "./keys";
import type { ChatSocket, HandlerDeps } from "./types";

// ephemeral: only to the other members' sockets, and only from a member (its socket is in the room)
function typing(this: ChatSocket, payload: unknown): void {
  const parsed = typingSchema.safeParse(payload);
  if (!parsed.success) return;
  // room names are case-insensitive: find this socket's room under its canonical spelling
  const wanted = roomKey(parsed.data.room).toLowerCase();
  const key = [...this.rooms].find((r) => r.toLowerCase() === wanted);
  if (!key) return;
  const me = this.data.identity;
  this.to(key)
    .except(userKey(me.userId))
    .emit("typing", { room: key.slice(roomKey("").length), username: me.username });
}

export function roomHandlers(deps: HandlerDeps): HandlerTable {
  const { rooms } = deps.services;
  return {
    "room:create": acked(deps, roomCreateSchema, async (socket, input) => ({
      room: await rooms.create(socket.data.identity, input),
    })),
    "room:join": acked(deps, roomJoinSchema, (socket, { room }) => rooms.join(socket.data.identity, room)),
    "room:leave": acked(deps, roomJoinSchema, async (socket, { room }) => {
      await rooms.leave(socket.data.identity, room);
      return {};
    }),
    "room:invite": acked(deps, roomInviteSchema, async (socket, { room, username }) => {
      await rooms.invite(socket.data.identity, room, username);
      return {};
    }),
    "room:read": acked(deps, roomReadSchema, async (socket, { room, lastReadId }) => {
      const { unread, mentions, countedThrough } = await rooms.markRead(socket.data.identity, room, lastReadId);
      return { unread, mentions, countedThrough };
    }),
    typing,
  };
}
