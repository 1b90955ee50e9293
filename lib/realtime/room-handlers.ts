// room:create / join / leave / invite / read and typing. Membership changes reach every socket of the
// users concerned through the services' events (see socket-io.ts), not through these handlers.
import { roomCreateSchema, roomInviteSchema, roomJoinSchema, roomReadSchema, typingSchema } from "../protocol";
import { acked } from "./acked";
import { roomKey, userKey } from "./keys";
import type { ChatSocket, HandlerDeps } from "./types";

export function registerRoomHandlers(socket: ChatSocket, deps: HandlerDeps): void {
  const { rooms } = deps.services;
  const me = socket.data.identity;

  socket.on(
    "room:create",
    acked(socket, deps, roomCreateSchema, async (input) => ({ room: await rooms.create(me, input) })),
  );
  socket.on(
    "room:join",
    acked(socket, deps, roomJoinSchema, ({ room }) => rooms.join(me, room)),
  );
  socket.on(
    "room:leave",
    acked(socket, deps, roomJoinSchema, async ({ room }) => {
      await rooms.leave(me, room);
      return {};
    }),
  );
  socket.on(
    "room:invite",
    acked(socket, deps, roomInviteSchema, async ({ room, username }) => {
      await rooms.invite(me, room, username);
      return {};
    }),
  );
  socket.on(
    "room:read",
    acked(socket, deps, roomReadSchema, async ({ room, lastReadId }) => {
      const { unread, mentions, countedThrough } = await rooms.markRead(me, room, lastReadId);
      return { unread, mentions, countedThrough };
    }),
  );

  // ephemeral: only to the other members' sockets, and only from a member (its socket is in the room)
  socket.on("typing", (payload: unknown) => {
    const parsed = typingSchema.safeParse(payload);
    if (!parsed.success) return;
    // room names are case-insensitive: find this socket's room under its canonical spelling
    const wanted = roomKey(parsed.data.room).toLowerCase();
    const key = [...socket.rooms].find((r) => r.toLowerCase() === wanted);
    if (!key) return;
    socket
      .to(key)
      .except(userKey(me.userId))
      .emit("typing", { room: key.slice(roomKey("").length), username: me.username });
  });
}
