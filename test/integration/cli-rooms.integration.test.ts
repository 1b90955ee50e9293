// The terminal client against the real server.
// - Non-TTY (a real child process) with `--room`: its lines go to that room or user and reach the members
//   only; it prints that room's messages and no other's; a room it may not use ends it with exit code 1.
//   Without --room it still talks in general (cli-ws covers that).
// - The chat screen (runTerminalChat in-process, on fake terminal streams): /join, /switch, /dm, /create,
//   /invite, /leave, unread counts in the prompt, notices for other rooms, room:read on entering a room,
//   typing both ways.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dmRoomName, type Message, type RoomSummary } from "@/lib/protocol";
import { CONNECTED_LINE, parseMessageLine, spawnCli } from "../helpers/cli-process";
import { openScreen as openTerminalScreen, until } from "../helpers/terminal-screen";
import { nextEvent, startTestServer, type TestServer, type TestSocket } from "../helpers/test-server";

let server: TestServer;
let configHome: string;
const PASSWORD = "correct horse battery";

beforeAll(async () => {
  server = await startTestServer();
  configHome = mkdtempSync(path.join(tmpdir(), "chatterbox-cli-rooms-"));
});
afterAll(async () => {
  await server.close();
  rmSync(configHome, { recursive: true, force: true });
});

/** A logged-in socket.io client that records every message:new, once its history is in. */
async function member(username: string): Promise<{ socket: TestSocket; received: Message[] }> {
  const socket = server.connect({ token: await server.token(username, PASSWORD) });
  const received: Message[] = [];
  socket.on("message:new", (m) => received.push(m));
  await nextEvent(socket, "history");
  return { socket, received };
}

let markers = 0;
/**
 * The barrier before an absence check: `from` sends a marker to general and `to` receives it. A message that
 * should not reach `to` but did was sent before the marker on the same socket, so it is in by now.
 */
async function barrier(to: { received: Message[] }, from: TestSocket): Promise<void> {
  const content = `marker ${++markers}`;
  expect((await from.emitWithAck("message:send", { content })).ok).toBe(true);
  await until(() => to.received.find((m) => m.content === content));
}

function cliAs(username: string, room: string) {
  return spawnCli({
    server: server.url,
    username,
    password: PASSWORD,
    register: true,
    configHome: path.join(configHome, username),
    args: ["--room", room],
  });
}

describe("terminal client --room", () => {
  it("joins a public room, sends to its members only, and prints only its messages", async () => {
    const alice = await member("alice");
    const dave = await member("dave"); // never joins #ops
    const created = await alice.socket.emitWithAck("room:create", { name: "ops" });
    expect(created.ok).toBe(true);
    const before = await alice.socket.emitWithAck("message:send", { room: "ops", content: "before the CLI came" });
    expect(before.ok).toBe(true);
    await alice.socket.emitWithAck("message:send", { content: "general chatter" });

    const cli = cliAs("carol", "#ops");
    try {
      await cli.waitForLine((l) => l === CONNECTED_LINE, 20_000);
      // the room's latest messages came first, and nothing of general
      expect(cli.lines.map(parseMessageLine).filter((m) => m !== null)).toEqual([
        expect.objectContaining({ room: "ops", username: "alice", content: "before the CLI came" }),
      ]);

      cli.send("hello ops");
      const got = await until(() => alice.received.find((m) => m.content === "hello ops"));
      expect(got).toMatchObject({ room: "ops", username: "carol" });
      await cli.waitForLine((l) => parseMessageLine(l)?.content === "hello ops");

      // live: a message in #ops is printed, one in general is not
      await alice.socket.emitWithAck("message:send", { content: "general again" });
      await alice.socket.emitWithAck("message:send", { room: "ops", content: "ops again" });
      const line = await cli.waitForLine((l) => parseMessageLine(l)?.content === "ops again");
      expect(parseMessageLine(line)).toMatchObject({ room: "ops", username: "alice" });
      expect(cli.lines.some((l) => parseMessageLine(l)?.content.startsWith("general"))).toBe(false);
    } finally {
      const { code, stderr } = await cli.end();
      expect(code, stderr).toBe(0);
    }
    await barrier(dave, alice.socket);
    expect(dave.received.map((m) => m.content)).not.toContain("hello ops");
    expect(dave.received.map((m) => m.content)).not.toContain("before the CLI came");
    expect(dave.received.every((m) => m.room === "general")).toBe(true);
    // carol is a member now: the server lists #ops among her rooms
    const rooms = await fetch(`${server.url}/api/rooms`, {
      headers: { authorization: `Bearer ${await server.token("carol", PASSWORD)}` },
    });
    expect(((await rooms.json()) as { rooms: { name: string }[] }).rooms.map((r) => r.name)).toContain("ops");
  });

  it("sends direct messages with --room @user, seen by the two users only", async () => {
    const bob = await member("bob");
    const eve = await member("eve");
    const cli = cliAs("frank", "@bob");
    try {
      await cli.waitForLine((l) => l === CONNECTED_LINE, 20_000);
      cli.send("psst bob");
      const got = await until(() => bob.received.find((m) => m.content === "psst bob"));
      expect(got).toMatchObject({ room: dmRoomName("frank", "bob"), username: "frank" });

      const reply = await bob.socket.emitWithAck("message:send", { to: "frank", content: "hi frank" });
      expect(reply.ok).toBe(true);
      const line = await cli.waitForLine((l) => parseMessageLine(l)?.content === "hi frank");
      expect(parseMessageLine(line)).toMatchObject({ username: "bob", room: "dm:bob:frank" });
    } finally {
      const { code, stderr } = await cli.end();
      expect(code, stderr).toBe(0);
    }
    await barrier(eve, bob.socket);
    expect(eve.received.map((m) => m.content)).not.toContain("psst bob");
    expect(eve.received.map((m) => m.content)).not.toContain("hi frank");
  });

  it("uses a private room it was invited to, and refuses one it was not", async () => {
    const gina = await member("gina");
    await server.token("hank", PASSWORD);
    await server.token("ivan", PASSWORD);
    expect((await gina.socket.emitWithAck("room:create", { name: "hq", private: true })).ok).toBe(true);
    expect((await gina.socket.emitWithAck("room:invite", { room: "hq", username: "hank" })).ok).toBe(true);

    const hank = cliAs("hank", "hq");
    try {
      await hank.waitForLine((l) => l === CONNECTED_LINE, 20_000);
      hank.send("reporting in");
      const got = await until(() => gina.received.find((m) => m.content === "reporting in"));
      expect(got).toMatchObject({ room: "hq", username: "hank" });
    } finally {
      const { code, stderr } = await hank.end();
      expect(code, stderr).toBe(0);
    }

    const ivan = cliAs("ivan", "hq");
    ivan.send("let me in");
    const { code, stderr, lines } = await ivan.end();
    expect(code).toBe(1);
    expect(stderr).toMatch(/cannot use #hq/);
    expect(lines.map(parseMessageLine).filter((m) => m !== null)).toEqual([]);
    await barrier(gina, gina.socket);
    expect(gina.received.map((m) => m.content)).not.toContain("let me in");
  });

  it("refuses a malformed --room with exit code 2", async () => {
    const cli = cliAs("judy", "not a room");
    const { code, stderr } = await cli.end();
    expect(code).toBe(2);
    expect(stderr).toMatch(/--room/);
  });
});

/** The chat screen on fake terminal streams (see terminal-screen.ts). */
const openScreen = (username: string) => openTerminalScreen(server, configHome, username, PASSWORD);

async function roomsOf(token: string): Promise<RoomSummary[]> {
  const res = await fetch(`${server.url}/api/rooms`, { headers: { authorization: `Bearer ${token}` } });
  return ((await res.json()) as { rooms: RoomSummary[] }).rooms;
}

describe("terminal chat screen", () => {
  const noColor = process.env.NO_COLOR;
  beforeAll(() => {
    process.env.NO_COLOR = "1";
  });
  afterAll(() => {
    if (noColor === undefined) delete process.env.NO_COLOR;
    else process.env.NO_COLOR = noColor;
  });

  it("switches rooms, counts unread elsewhere, marks read, shows and sends typing, DMs", async () => {
    const kate = await member("kate");
    expect((await kate.socket.emitWithAck("room:create", { name: "dev" })).ok).toBe(true);
    await kate.socket.emitWithAck("message:send", { room: "dev", content: "dev news" });

    const tty = await openScreen("liam");
    await tty.waitFor("/help lists the commands");
    await tty.waitFor("liam #general> ");
    // general, on screen, is marked read (a new account starts with its history unread): only what comes
    // after this may count as new there
    await untilAsync(async () => {
      const room = (await roomsOf(tty.token)).find((r) => r.name === "general");
      return room && room.unread === 0 ? room : undefined;
    });

    // /join a public room: its messages, and the prompt names it
    tty.mark();
    tty.enter("/join dev");
    await tty.waitFor(/── #dev ──[\s\S]*kate: dev news/);
    await tty.waitFor("liam #dev> ");

    // messages elsewhere: a notice and a count, not the message
    tty.mark();
    // sent together, so that they land in one write batch and one notice (a burst is gathered for 700 ms:
    // two sends one after the other could fall either side of it on a loaded machine)
    await Promise.all([
      kate.socket.emitWithAck("message:send", { content: "general news" }),
      kate.socket.emitWithAck("message:send", { content: "more general news" }),
    ]);
    await tty.waitFor("liam #dev [general 2]> ");
    await tty.waitFor("* 2 new in #general");
    await kate.socket.emitWithAck("message:send", { to: "liam", content: "a word, liam?" });
    await tty.waitFor("liam #dev [general 2, @kate 1]> ");
    await tty.waitFor("* 1 new from @kate");
    expect(tty.since()).not.toContain("general news");
    expect(tty.since()).not.toContain("a word, liam?");

    // a message in the room on screen is shown
    await kate.socket.emitWithAck("message:send", { room: "dev", content: "dev live" });
    await tty.waitFor("kate: dev live");

    // /switch shows the unread messages and marks the room read on the server
    tty.mark();
    tty.enter("/switch general");
    await tty.waitFor(/── #general ──[\s\S]*kate: general news[\s\S]*kate: more general news/);
    await tty.waitFor("liam #general [@kate 1]> ");
    const general = await untilAsync(async () => {
      const room = (await roomsOf(tty.token)).find((r) => r.name === "general");
      return room && room.unread === 0 ? room : undefined;
    });
    expect(general.lastReadId).toBe(general.lastMessageId);

    // typing: kate's shows above the prompt; liam's keystrokes reach kate
    const kateTyping = nextEvent(kate.socket, "typing");
    tty.type("hel");
    expect(await kateTyping).toEqual({ room: "general", username: "liam" });
    tty.type("\u0015"); // Ctrl-U: clear the line
    kate.socket.emit("typing", { room: "general" });
    await tty.waitFor("kate is typing…\nliam #general [@kate 1]> ");

    // /dm: the conversation, and a reply that goes to kate only
    tty.mark();
    tty.enter("/dm kate");
    await tty.waitFor(/── @kate \(online\) ──[\s\S]*kate: a word, liam\?/);
    await tty.waitFor("liam @kate> ");
    tty.enter("sure, what's up");
    const reply = await until(() => kate.received.find((m) => m.content === "sure, what's up"));
    expect(reply.room).toBe(dmRoomName("kate", "liam"));
    await tty.waitFor("liam: sure, what's up");

    tty.enter("/quit");
    expect(await tty.outcome).toEqual({ kind: "quit" });
  });

  it("/more pages back through a room's history, down to its beginning", async () => {
    const olga = await member("olga");
    expect((await olga.socket.emitWithAck("room:create", { name: "archive" })).ok).toBe(true);
    for (let i = 1; i <= 60; i++)
      await olga.socket.emitWithAck("message:send", { room: "archive", content: `old ${i}` });
    const tty = await openScreen("pete");
    await tty.waitFor("/help lists the commands");
    await tty.waitFor("pete #general> ");

    // entering shows the latest 15
    tty.mark();
    tty.enter("/join archive");
    await tty.waitFor(/── #archive ──[\s\S]*olga: old 46\n[\s\S]*olga: old 60\n/);
    await tty.waitFor("pete #archive> ");
    expect(tty.since()).not.toContain("olga: old 45\n");

    // each /more prints the page before, oldest first, between two labelled rules (and its own day line)
    tty.mark();
    tty.enter("/more");
    await tty.waitFor(
      /── older messages in #archive: 25, oldest first ──\n(?:.*> )?── Today ──\n[\s\S]*olga: old 21\n[\s\S]*olga: old 45\n(?:.*> )?── end of older messages: \/more for the ones before ──/,
    );
    expect(tty.since()).not.toContain("olga: old 20\n");
    tty.mark();
    tty.enter("/more");
    await tty.waitFor(
      /── older messages in #archive: 20, oldest first ──\n[\s\S]*olga: old 1\n[\s\S]*olga: old 20\n(?:.*> )?── end of older messages: this is the beginning of #archive ──/,
    );
    tty.mark();
    tty.enter("/more");
    await tty.waitFor("── no older messages: the beginning of #archive is above ──");

    // others joining and leaving the room on screen are announced
    const quinn = await member("quinn");
    tty.mark();
    expect((await quinn.socket.emitWithAck("room:join", { room: "archive" })).ok).toBe(true);
    await tty.waitFor("* quinn joined #archive");
    expect((await quinn.socket.emitWithAck("room:leave", { room: "archive" })).ok).toBe(true);
    await tty.waitFor("* quinn left #archive");

    // a new conversation starts over from its own latest messages
    tty.mark();
    tty.enter("/switch general");
    tty.enter("/more"); // at once: the conversation is still loading
    await tty.waitFor("(still loading this conversation: try again in a moment)");
    await tty.waitFor(/── #general ──[\s\S]*(\(no messages yet\)|\] \w+: )/); // loaded
    tty.mark();
    tty.enter("/more");
    await tty.waitFor(/older messages in #general|no older messages|nothing earlier/);
    expect(tty.since()).not.toContain("#archive");

    tty.enter("/quit");
    expect(await tty.outcome).toEqual({ kind: "quit" });
  });

  it("creates private rooms, invites, leaves, and refuses what the server refuses", async () => {
    const mona = await member("mona");
    const tty = await openScreen("nick");
    await tty.waitFor("/help lists the commands");
    await tty.waitFor("nick #general> ");

    tty.mark();
    tty.enter("/create lab --private");
    await tty.waitFor("* created #lab (private");
    await tty.waitFor("nick #lab> ");
    const joined = nextEvent(mona.socket, "room:joined");
    tty.enter("/invite mona");
    expect(await joined).toMatchObject({ name: "lab", private: true });
    await tty.waitFor("* mona is in #lab now");
    await mona.socket.emitWithAck("message:send", { room: "lab", content: "thanks for the invite" });
    await tty.waitFor("mona: thanks for the invite");

    // someone else's invite shows as a notice; the server's refusals are printed
    expect((await mona.socket.emitWithAck("room:create", { name: "den", private: true })).ok).toBe(true);
    expect((await mona.socket.emitWithAck("room:invite", { room: "den", username: "nick" })).ok).toBe(true);
    await tty.waitFor("* you are now in #den (private): /switch den to go there");
    tty.enter("/create lab");
    await tty.waitFor("! A room named lab already exists");
    tty.enter("/join nowhere");
    await tty.waitFor("! No room named #nowhere");
    tty.enter("/switch elsewhere");
    await tty.waitFor("You are not in #elsewhere: /join elsewhere");

    // /leave: back to general, and the server agrees
    tty.mark();
    tty.enter("/leave");
    await tty.waitFor(/\* left #lab[\s\S]*── #general ──/);
    await tty.waitFor("nick #general> ");
    const rooms = (await roomsOf(tty.token)).map((r) => r.name);
    expect(rooms).not.toContain("lab");
    expect(rooms).toContain("den");
    tty.enter("/leave");
    await tty.waitFor("Everyone stays in #general.");

    // a DM nobody wrote in yet: the server says "not found" (over the socket), which is no error here
    tty.mark();
    tty.enter("/dm mona");
    await tty.waitFor(/── @mona[\s\S]*\(no messages yet: the first one starts the conversation\)/);
    await tty.waitFor("nick @mona> ");
    expect(tty.since()).not.toContain("could not load");

    tty.enter("/quit");
    expect(await tty.outcome).toEqual({ kind: "quit" });
  });
});

async function untilAsync<T>(probe: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 50));
  }
}
