// The terminal chat screen's message actions against the real server (SPEC "Message actions"): numbers
// beside printed messages, /edit (default: your last), /react as a toggle, /reply with its quote line,
// /delete, the one-line announcements of changes (one's own and others'), the refusals, and the state
// printed again on coming back to the room.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Message } from "@/lib/protocol";
import { openScreen, until, type TerminalScreen } from "../helpers/terminal-screen";
import { nextEvent, startTestServer, type TestServer, type TestSocket } from "../helpers/test-server";

let server: TestServer;
let configHome: string;
const PASSWORD = "correct horse battery";
const noColor = process.env.NO_COLOR;

beforeAll(async () => {
  process.env.NO_COLOR = "1";
  server = await startTestServer();
  configHome = mkdtempSync(path.join(tmpdir(), "chatterbox-cli-actions-"));
});
afterAll(async () => {
  if (noColor === undefined) delete process.env.NO_COLOR;
  else process.env.NO_COLOR = noColor;
  await server.close();
  rmSync(configHome, { recursive: true, force: true });
});

/** A logged-in socket.io client that records every message:new and message:updated. */
async function member(username: string) {
  const socket: TestSocket = server.connect({ token: await server.token(username, PASSWORD) });
  const received: Message[] = [];
  const updated: Message[] = [];
  socket.on("message:new", (m) => received.push(m));
  socket.on("message:updated", (m) => updated.push(m));
  await nextEvent(socket, "history");
  return { socket, received, updated };
}

/** The number the screen printed beside `username: content`. */
async function numberOf(tty: TerminalScreen, username: string, content: string): Promise<number> {
  const line = new RegExp(
    `\\[(\\d+)\\] \\[\\d\\d:\\d\\d\\] ${username}: ${content.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`,
  );
  await tty.waitFor(line);
  return Number(line.exec(tty.screen())?.[1]);
}

describe("terminal message actions", () => {
  it("edits, reacts, replies and deletes by the numbers on screen, and announces changes in one line", async () => {
    const bob = await member("bob"); // the first account (the admin): alice is not one
    const sent = await bob.socket.emitWithAck("message:send", { content: "first from bob" });
    if (!sent.ok) throw new Error(sent.error.detail);
    const tty = await openScreen(server, configHome, "alice", PASSWORD);
    await tty.waitFor("alice #general> ");
    const bobs = await numberOf(tty, "bob", "first from bob");
    tty.enter("my own message");
    const mine = await numberOf(tty, "alice", "my own message");
    expect(mine).not.toBe(bobs);

    // /edit with no number: the last message of one's own here
    tty.mark();
    tty.enter("/edit my own message, edited");
    await tty.waitFor(`* you edited [${mine}]: my own message, edited`);
    const edited = await until(() => bob.updated.find((m) => m.content === "my own message, edited"));
    expect(edited.editedAt).not.toBeNull();
    tty.enter(`/edit ${bobs} not mine`);
    await tty.waitFor(`[${bobs}] is bob's message: you can only edit yours.`);

    // /react toggles; others' reactions and edits are announced too
    tty.mark();
    tty.enter(`/react ${bobs} 👍`);
    await tty.waitFor(`* you reacted 👍 to [${bobs}]`);
    await until(() => bob.updated.find((m) => m.id === sent.message.id && m.reactions[0]?.users[0] === "alice"));
    expect((await bob.socket.emitWithAck("reaction:add", { id: sent.message.id, emoji: "🎉" })).ok).toBe(true);
    await tty.waitFor(`* bob reacted 🎉 to [${bobs}]`);
    tty.enter(`/react ${bobs} 👍`);
    await tty.waitFor(`* you took back 👍 on [${bobs}]`);
    expect((await bob.socket.emitWithAck("message:edit", { id: sent.message.id, content: "first, fixed" })).ok).toBe(
      true,
    );
    await tty.waitFor(`* bob edited [${bobs}]: first, fixed`);
    expect(tty.since()).not.toMatch(/\] bob: first, fixed/); // announced, not printed again

    // /reply: the quote line above it, naming the parent's number; the server links them
    tty.mark();
    tty.enter(`/reply ${bobs} agreed`);
    await tty.waitFor(new RegExp(`↳ \\[${bobs}\\] bob: first, fixed\\n\\[\\d+\\] \\[\\d\\d:\\d\\d\\] alice: agreed`));
    const reply = await until(() => bob.received.find((m) => m.content === "agreed"));
    expect(reply.replyTo).toMatchObject({ id: sent.message.id, username: "bob", content: "first, fixed" });
    const replyNumber = await numberOf(tty, "alice", "agreed");

    // /delete: the last one of one's own by default; another's is the server's call (alice is no admin)
    tty.mark();
    tty.enter("/delete");
    await tty.waitFor(`* your [${replyNumber}] was deleted`);
    await until(() => bob.updated.find((m) => m.id === reply.id && m.deleted));
    tty.enter(`/delete ${bobs}`);
    await tty.waitFor(new RegExp(`! could not delete \\[${bobs}\\] “first, fixed”: \\S`));
    tty.enter(`/react ${replyNumber} 👍`);
    await tty.waitFor(`[${replyNumber}] was deleted.`);
    tty.enter("/react 999 👍");
    await tty.waitFor("No message [999] on this screen");
    tty.enter(`/react ${bobs} nope`);
    await tty.waitFor("nope is not one emoji (nor an emoji's :name:). Usage: /react <n> <emoji>");

    // coming back to the room prints the messages as they are now, with the same numbers
    expect((await bob.socket.emitWithAck("room:create", { name: "side" })).ok).toBe(true);
    tty.enter("/join side");
    await tty.waitFor("alice #side> ");
    tty.enter(`/react ${bobs} 👍`);
    await tty.waitFor(`[${bobs}] is in #general: go there first.`);
    tty.mark();
    tty.enter("/switch general");
    await tty.waitFor(`[${bobs}] `);
    await tty.waitFor(new RegExp(`\\[${bobs}\\] \\[\\d\\d:\\d\\d\\] bob: first, fixed \\(edited\\) \\[🎉 1\\]`));
    await tty.waitFor(new RegExp(`\\[${mine}\\] \\[\\d\\d:\\d\\d\\] alice: my own message, edited \\(edited\\)\\n`));
    await tty.waitFor(new RegExp(`\\[${replyNumber}\\] \\[\\d\\d:\\d\\d\\] alice: × message deleted`));

    tty.enter("/quit");
    expect(await tty.outcome).toEqual({ kind: "quit" });
    bob.socket.disconnect();
  });
});
