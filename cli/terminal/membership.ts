// Moving between rooms and DMs, and being in them: /join, /switch, /dm, /create, /leave, /invite, the full
// room list on every connection, and room:joined / room:left from any device.
import { DEFAULT_ROOM, dmRoomName, type RoomSummary } from "../../lib/protocol";
import { listRooms, listUsers, roomDirectory } from "../api";
import { RequestError } from "../chat-session";
import { dmView, generalView, roomKey, sameRoom, viewLabel, type RoomRef } from "../rooms";
import { sanitizeInline } from "../sanitize";
import { reasonOf, type TerminalChat } from "./context";

export class Membership {
  /** rooms this client is joining or creating / leaving itself: their room:joined / room:left need no notice */
  private readonly joining = new Set<string>();
  private readonly leaving = new Set<string>();
  /** public rooms of the server's directory, as last fetched: what Tab offers after /join */
  publicRooms: string[] = [];

  constructor(private readonly chat: TerminalChat) {}

  /** The rooms and unread counts from the server (on every connection), who is online, the public rooms. */
  refresh(): Promise<void> {
    const { serverUrl, login, book, presence, conversation, screen } = this.chat;
    const extras = Promise.all([
      listUsers(serverUrl, login.token).catch(() => []),
      roomDirectory(serverUrl, login.token).catch(() => undefined),
    ]);
    const askedAt = book.mark();
    return Promise.all([listRooms(serverUrl, login.token), extras]).then(
      ([summaries, [users, directory]]) => {
        presence.learn(users);
        if (directory) this.publicRooms = directory.map((r) => r.name);
        book.replaceAll(summaries, askedAt); // changes nothing if a newer list is already in: the checks below hold
        const { view } = conversation;
        if (view.kind === "room" && !book.has(view.name)) {
          screen.warn(`* you are no longer in ${viewLabel(view)}`);
          conversation.enter(generalView());
        }
        conversation.markRead(0);
        screen.refreshPrompt();
      },
      (err: unknown) => screen.warn(`! could not load your rooms: ${reasonOf(err)}`),
    );
  }

  /** room:joined: created, joined or invited, here or on another device. */
  joined(summary: RoomSummary): void {
    const { book, screen } = this.chat;
    const known = book.has(summary.name);
    book.upsert(summary);
    if (!known && !this.joining.has(roomKey(summary.name)) && summary.kind === "room") {
      const name = sanitizeInline(summary.name);
      screen.info(`* you are now in #${name}${summary.private ? " (private)" : ""}: /switch ${name} to go there`);
    }
    screen.refreshPrompt();
  }

  /** room:left, here or on another device. */
  left(room: string): void {
    const { book, screen, conversation } = this.chat;
    const known = book.get(room);
    book.remove(room);
    if (this.leaving.has(roomKey(room))) return screen.refreshPrompt(); // /leave here: it says so and moves on
    if (known) screen.info(`* you left #${sanitizeInline(known.name)}`);
    if (sameRoom(conversation.view.name, room)) conversation.enter(generalView());
    screen.refreshPrompt();
  }

  async openDm(user: string): Promise<void> {
    const { me, book, presence, conversation, screen, serverUrl, login } = this.chat;
    if (user.toLowerCase() === me.toLowerCase()) return screen.warn("That is you: /dm someone else.");
    const known = book.get(dmRoomName(me, user));
    if (known?.peer) return conversation.enter(dmView(me, known.peer));
    const users = await listUsers(serverUrl, login.token);
    presence.learn(users);
    const found = users.find((u) => u.username.toLowerCase() === user.toLowerCase());
    if (!found) return screen.warn(`! No user named ${sanitizeInline(user)}`);
    conversation.enter(dmView(me, found.username));
  }

  async joinRoom(name: string): Promise<void> {
    const { book, conversation, session, screen } = this.chat;
    const known = book.get(name);
    if (known) return conversation.enter({ kind: "room", name: known.name });
    const key = roomKey(name);
    this.joining.add(key);
    try {
      const { room, messages } = await session.joinRoom(name);
      book.upsert(room);
      conversation.enter({ kind: "room", name: room.name }, messages);
    } catch (err) {
      if (err instanceof RequestError && err.code === "not_found") {
        const label = `#${sanitizeInline(name)}`;
        return screen.warn(`! No room named ${label} (private rooms need an /invite; /rooms lists rooms)`);
      }
      throw err;
    } finally {
      this.joining.delete(key);
    }
  }

  switchTo(target: RoomRef): Promise<void> {
    if (target.kind === "dm") return this.openDm(target.user);
    const known = this.chat.book.get(target.name);
    if (!known) {
      const name = sanitizeInline(target.name);
      this.chat.screen.warn(`You are not in #${name}: /join ${name}`);
      return Promise.resolve();
    }
    this.chat.conversation.enter({ kind: "room", name: known.name });
    return Promise.resolve();
  }

  async createRoom(name: string, isPrivate: boolean): Promise<void> {
    const { book, conversation, session, screen } = this.chat;
    const key = roomKey(name);
    this.joining.add(key);
    try {
      const room = await session.createRoom(name, isPrivate);
      book.upsert(room);
      const label = `#${sanitizeInline(room.name)}`;
      screen.info(`* created ${label}${isPrivate ? " (private: only people you /invite can see it)" : ""}`);
      conversation.enter({ kind: "room", name: room.name }, []);
    } finally {
      this.joining.delete(key);
    }
  }

  async leaveRoom(named?: string): Promise<void> {
    const { book, conversation, session, screen } = this.chat;
    const { view } = conversation;
    if (named === undefined && view.kind === "dm") return screen.warn("Direct messages cannot be left.");
    const name = named ?? view.name;
    if (sameRoom(name, DEFAULT_ROOM)) return screen.warn("Everyone stays in #general.");
    const entry = book.get(name);
    if (!entry || entry.kind !== "room") return screen.warn(`You are not in #${sanitizeInline(name)}.`);
    const key = roomKey(entry.name);
    this.leaving.add(key);
    try {
      await session.leaveRoom(entry.name);
      book.remove(entry.name);
      screen.info(`* left #${sanitizeInline(entry.name)}`);
    } finally {
      this.leaving.delete(key);
      // (also when the ack was lost but the server's room:left came)
      if (sameRoom(conversation.view.name, entry.name) && !book.has(entry.name)) conversation.enter(generalView());
    }
  }

  async invite(username: string): Promise<void> {
    const { conversation, session, screen } = this.chat;
    const { view } = conversation;
    if (view.kind === "dm")
      return screen.warn("Direct messages are for two: /create a private room and /invite people to it.");
    if (sameRoom(view.name, DEFAULT_ROOM)) return screen.warn("Everyone is in #general already.");
    await session.invite(view.name, username);
    screen.info(`* ${sanitizeInline(username)} is in ${viewLabel(conversation.view)} now`);
  }
}
