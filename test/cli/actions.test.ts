// The screen's side of /edit, /delete, /react and /reply without a terminal or a server: a Conversation
// over a fake session, so what is checked locally, what is asked of the server and what is printed show.
import { describe, expect, it, vi } from "vitest";
import { RequestError } from "../../cli/chat-session";
import { RoomBook } from "../../cli/rooms";
import { deleteMessage, editMessage, reply, toggleReaction } from "../../cli/terminal/actions";
import type { TerminalChat } from "../../cli/terminal/context";
import { Conversation } from "../../cli/terminal/conversation";
import { Timers } from "../../cli/terminal/timers";
import type { Message } from "../../lib/protocol";
import { unchanged } from "../helpers/message-fixture";

const message = (id: number, username: string, content: string, over: Partial<Message> = {}): Message => ({
  ...unchanged(id),
  id,
  username,
  content,
  timestamp: new Date(2024, 1, 7, 9, 5).toISOString(),
  room: "general",
  ...over,
});

/** A chat screen whose printed lines are `lines`, in #general with `history` printed (numbered 1, 2, …). */
function fakeChat(history: Message[]) {
  const lines: string[] = [];
  const session = {
    markSeen: vi.fn(),
    edit: vi.fn<(id: number, content: string) => Promise<Message>>(),
    deleteMessage: vi.fn<(id: number) => Promise<Message>>(),
    react: vi.fn<(id: number, emoji: string) => Promise<Message>>(),
    unreact: vi.fn<(id: number, emoji: string) => Promise<Message>>(),
  };
  const input = { send: vi.fn<(line: string, replyTo?: number) => void>() };
  const screen = { color: false, print: (l: string) => lines.push(l), refreshPrompt: () => undefined };
  const chat = {
    me: "alice",
    book: new RoomBook("alice"),
    timers: new Timers(),
    typing: { viewChanged: () => undefined, messageArrived: () => undefined },
    screen: { ...screen, info: screen.print, warn: screen.print },
    session,
    input,
  } as unknown as TerminalChat & { conversation: Conversation };
  (chat as { conversation: Conversation }).conversation = new Conversation(chat);
  chat.conversation.enter({ kind: "room", name: "general" }, history);
  lines.length = 0; // the header and history: render tests cover them
  return { chat, lines, session, input };
}

describe("message actions on screen", () => {
  const bobs = message(10, "bob", "hi all", { reactions: [{ emoji: "👍", count: 1, users: ["alice"] }] });
  const mine = message(11, "alice", "my typo");

  it("edits one's last message here by default and announces the result once (ack, then broadcast)", async () => {
    const { chat, lines, session } = fakeChat([bobs, mine, message(12, "bob", "after")]);
    const after = { ...mine, seq: 40, content: "fixed", editedAt: "2024-02-07T09:06:00Z" };
    session.edit.mockResolvedValue(after);
    await editMessage(chat, undefined, "fixed");
    expect(session.edit).toHaveBeenCalledWith(11, "fixed");
    chat.conversation.updated([after]); // its broadcast: not newer, no second line
    expect(lines).toEqual(["* you edited [2]: fixed"]);
  });

  it("refuses locally: no such number, not one's own, unchanged, deleted, another room", async () => {
    const gone = message(13, "bob", "", { deleted: true });
    const { chat, lines, session } = fakeChat([bobs, mine, gone]);
    await editMessage(chat, 7, "x");
    await editMessage(chat, 1, "x");
    await editMessage(chat, 2, "my typo");
    await toggleReaction(chat, 3, "👍");
    chat.conversation.received([message(14, "bob", "elsewhere", { room: "ops" })]); // not printed: no number
    await toggleReaction(chat, 4, "👍");
    expect(lines).toEqual([
      "No message [7] on this screen: use the number beside a message.",
      "[1] is bob's message: you can only edit yours.",
      "(that is what [2] says already)",
      "[3] was deleted.",
      "No message [4] on this screen: use the number beside a message.",
    ]);
    expect(session.edit).not.toHaveBeenCalled();
    expect(session.react).not.toHaveBeenCalled();
  });

  it("takes back a reaction one has, adds one one has not, and prints the server's refusal sanitized", async () => {
    const { chat, lines, session } = fakeChat([bobs, mine]);
    session.unreact.mockResolvedValue({ ...bobs, seq: 50, reactions: [] });
    await toggleReaction(chat, 1, "👍");
    expect(session.unreact).toHaveBeenCalledWith(10, "👍");
    session.react.mockRejectedValue(new RequestError("not \u001b[2Jallowed", "forbidden"));
    await toggleReaction(chat, 1, "🎉");
    expect(session.react).toHaveBeenCalledWith(10, "🎉");
    expect(lines).toEqual(["* you took back 👍 on [1]", "! could not react to [1] “hi all”: not allowed"]);
  });

  it("deletes one's last message by default, leaves another's to the server, replies by number", async () => {
    const { chat, lines, session, input } = fakeChat([bobs, mine]);
    session.deleteMessage.mockImplementation((id) =>
      Promise.resolve({ ...mine, id, seq: 60, deleted: true, content: "" }),
    );
    await deleteMessage(chat, undefined);
    expect(session.deleteMessage).toHaveBeenLastCalledWith(11);
    await deleteMessage(chat, undefined);
    session.deleteMessage.mockRejectedValue(new RequestError("only the author or an admin", "forbidden"));
    await deleteMessage(chat, 1);
    expect(session.deleteMessage).toHaveBeenLastCalledWith(10);
    reply(chat, 1, "sure");
    expect(input.send).toHaveBeenCalledWith("sure", 10);
    expect(lines).toEqual([
      "* your [2] was deleted",
      "No message of yours on screen here to delete: /delete <n> names one.",
      "! could not delete [1] “hi all”: only the author or an admin",
    ]);
  });

  it("announces others' changes to printed messages in the room on screen only", () => {
    const { chat, lines } = fakeChat([bobs, mine]);
    chat.conversation.updated([
      message(99, "bob", "never printed", { seq: 70 }),
      { ...bobs, seq: 71, reactions: [{ emoji: "👍", count: 2, users: ["alice", "carol"] }] },
    ]);
    expect(lines).toEqual(["* carol reacted 👍 to [1]"]);
  });
});
