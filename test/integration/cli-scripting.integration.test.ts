// The scripting subcommands (cli/scripting/) as real processes against a real server: exit codes for each
// case (0 ok, 1 refused, 2 usage or not logged in, 3 unreachable), JSON Lines parsed with the records'
// schema, stdin and --lines, follow mode receiving a live message, an edit and a delete, and an export of
// 5,000 messages seeded through the data layer.
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { messageRecordSchema, type MessageRecord } from "@/cli/scripting/records";
import { messagesResponseSchema, type Message } from "@/lib/protocol";
import { runCli, spawnCli } from "../helpers/cli-process";
import { nextEvent, startTestServer, type TestServer, type TestSocket } from "../helpers/test-server";

let server: TestServer;
let configHome: string;
const tokens: Record<string, string> = {};
const PASSWORD = "correct horse battery";

beforeAll(async () => {
  server = await startTestServer();
  configHome = mkdtempSync(path.join(tmpdir(), "chatterbox-cli-scripting-"));
  for (const name of ["alice", "bob", "erin"]) tokens[name] = await server.token(name, PASSWORD);
});
afterAll(async () => {
  await server.close();
  rmSync(configHome, { recursive: true, force: true });
});

/** `chatterbox <command> --server <url> [--token <alice's>] …args` */
const cli = (command: string, args: string[], opts: { as?: string; stdin?: string; home?: string } = {}) =>
  runCli([command, "--server", server.url, ...(opts.as ? ["--token", tokens[opts.as]!] : []), ...args], {
    configHome: opts.home ?? configHome,
    ...(opts.stdin === undefined ? {} : { stdin: opts.stdin }),
  });

async function history(room: string, as = "alice"): Promise<Message[]> {
  const res = await fetch(`${server.url}/api/messages?room=${encodeURIComponent(room)}&limit=500`, {
    headers: { authorization: `Bearer ${tokens[as]}` },
  });
  return messagesResponseSchema.parse(await res.json()).messages;
}

const records = (lines: string[]): MessageRecord[] => lines.map((l) => messageRecordSchema.parse(JSON.parse(l)));

async function socketOf(name: string): Promise<TestSocket> {
  const socket = server.connect({ token: tokens[name]! });
  await nextEvent(socket, "history");
  return socket;
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe("exit codes", () => {
  it("0 for whoami with a token (--token or CHATTERBOX_TOKEN)", async () => {
    const run = await cli("whoami", [], { as: "alice" });
    expect(run.code, run.stderr).toBe(0);
    expect(run.lines).toEqual(["alice"]);
    const byEnv = await runCli(["whoami", "--json", "--server", server.url], {
      configHome,
      env: { CHATTERBOX_TOKEN: tokens.bob },
    });
    expect(byEnv.code, byEnv.stderr).toBe(0);
    expect(JSON.parse(byEnv.lines[0]!)).toEqual({ username: "bob", server: server.url });
  });

  it("2 for a refused token, for no login at all, and for unknown options (with a hint)", async () => {
    const refused = await runCli(["whoami", "--server", server.url, "--token", "not-a-token"], { configHome });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/refused the token/);
    const nobody = await cli("rooms", [], { home: mkdtempSync(path.join(configHome, "empty-")) });
    expect(nobody.code).toBe(2);
    expect(nobody.stderr).toMatch(/Not logged in/);
    const unknown = await cli("tail", ["--frobnicate"], { as: "alice" });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown option '--frobnicate'/);
    expect(unknown.stderr).toMatch(/--help/);
    const both = await cli("send", ["--room", "general", "--to", "bob", "hi"], { as: "alice" });
    expect(both.code).toBe(2);
    const badDate = await cli("export", ["--room", "general", "--since", "yesterday"], { as: "alice" });
    expect(badDate.code).toBe(2);
  });

  it("lists the exit codes in --help (exit 0), and calls a stray word an unknown command (exit 2)", async () => {
    const help = await runCli(["send", "--help"], { configHome });
    expect(help.code).toBe(0);
    expect(help.lines.join("\n")).toMatch(/Exit codes:[\s\S]*2 {2}usage error[\s\S]*3 {2}cannot reach the server/);
    const stray = await runCli(["frobnicate"], { configHome });
    expect(stray.code).toBe(2);
    expect(stray.stderr).toMatch(/unknown command 'frobnicate' \(the commands are login, .*send, tail, export/);
  });

  it("3 when the server cannot be reached", async () => {
    const port = await closedPort();
    const run = await runCli(["whoami", "--server", `http://127.0.0.1:${port}`, "--token", "x"], { configHome });
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/Cannot reach the server/);
  });

  it("1 when the server refuses: a private room the user is not in", async () => {
    const erin = await socketOf("erin");
    expect((await erin.emitWithAck("room:create", { name: "secret", private: true })).ok).toBe(true);
    const run = await cli("send", ["--room", "secret", "let me in"], { as: "bob" });
    expect(run.code).toBe(1);
    expect((await history("secret", "erin")).map((m) => m.content)).not.toContain("let me in");
    erin.disconnect();
  });
});

describe("login, whoami, logout", () => {
  it("keeps the token of a non-interactive login, and forgets it at logout", async () => {
    const home = mkdtempSync(path.join(configHome, "login-"));
    const login = await runCli(["login", "--server", server.url, "--username", "erin"], {
      configHome: home,
      env: { CHATTERBOX_PASSWORD: PASSWORD },
    });
    expect(login.code, login.stderr).toBe(0);
    expect((await cli("whoami", [], { home })).lines).toEqual(["erin"]);
    expect((await cli("logout", [], { home })).code).toBe(0);
    expect((await cli("whoami", [], { home })).code).toBe(2);
  });
});

describe("send", () => {
  it("sends the words given, to a room (joined first), or to a user", async () => {
    const erin = await socketOf("erin");
    expect((await erin.emitWithAck("room:create", { name: "ops" })).ok).toBe(true);
    erin.disconnect();
    const toRoom = await cli("send", ["--room", "#ops", "--json", "deploy", "finished"], { as: "alice" });
    expect(toRoom.code, toRoom.stderr).toBe(0);
    const [sent] = records(toRoom.lines);
    expect(sent).toMatchObject({ type: "message", room: "#ops", username: "alice", content: "deploy finished" });
    expect((await history("ops")).at(-1)).toMatchObject({ id: sent!.id, content: "deploy finished" });

    const toUser = await cli("send", ["--to", "bob", "psst"], { as: "alice" });
    expect(toUser.code, toUser.stderr).toBe(0);
    expect((await history("dm:alice:bob")).at(-1)?.content).toBe("psst");
  });

  it("reads stdin as one message, or one message per line with --lines", async () => {
    const whole = await cli("send", ["--room", "ops"], { as: "bob", stdin: "first line\nsecond line\n" });
    expect(whole.code, whole.stderr).toBe(0);
    expect((await history("ops")).at(-1)?.content).toBe("first line\nsecond line");

    const lines = await cli("send", ["--room", "ops", "--lines"], { as: "bob", stdin: "one\n\ntwo\nthree\n" });
    expect(lines.code, lines.stderr).toBe(0);
    expect((await history("ops")).slice(-3).map((m) => m.content)).toEqual(["one", "two", "three"]);
  });

  it("sends nothing when a line is not a valid message (exit 2), or when there is nothing", async () => {
    const before = (await history("ops")).length;
    const long = await cli("send", ["--room", "ops", "--lines"], { as: "bob", stdin: `ok\n${"x".repeat(4001)}\n` });
    expect(long.code).toBe(2);
    expect(long.stderr).toMatch(/line 2/);
    const empty = await cli("send", ["--room", "ops"], { as: "bob", stdin: "  \n" });
    expect(empty.code).toBe(2);
    expect((await history("ops")).length).toBe(before);
  });
});

describe("rooms and tail", () => {
  it("names rooms as users know them: #ops, and @bob for a DM", async () => {
    const run = await cli("rooms", ["--json"], { as: "alice" });
    expect(run.code, run.stderr).toBe(0);
    const rooms = run.lines.map((l) => JSON.parse(l) as { room: string; kind: string });
    expect(rooms).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ room: "#general", kind: "room" }),
        expect.objectContaining({ room: "#ops" }),
        expect.objectContaining({ room: "@bob", kind: "dm" }),
      ]),
    );
    expect(JSON.stringify(rooms)).not.toContain("dm:");
  });

  it("prints JSON Lines with ISO timestamps, and text lines with dates", async () => {
    const json = await cli("tail", ["--json", "-n", "50"], { as: "bob" });
    expect(json.code, json.stderr).toBe(0);
    const all = records(json.lines);
    expect(all.map((r) => r.id)).toEqual([...all.map((r) => r.id)].sort((a, b) => a - b));
    expect(all.find((r) => r.content === "psst")).toMatchObject({ room: "@alice", username: "alice" });
    expect(all.find((r) => r.content === "three")).toMatchObject({ room: "#ops", type: "message" });
    for (const r of all) expect(new Date(r.timestamp).toISOString()).toBe(r.timestamp);

    const text = await cli("tail", ["--room", "@alice", "-n", "1"], { as: "bob" });
    expect(text.code, text.stderr).toBe(0);
    expect(text.lines).toHaveLength(1);
    expect(text.lines[0]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d @alice alice: psst$/);

    const since = await cli(
      "tail",
      ["--room", "ops", "--json", "--since", String(all.find((r) => r.content === "one")!.id - 1)],
      { as: "bob" },
    );
    expect(records(since.lines).map((r) => r.content)).toEqual(["one", "two", "three"]);
  });

  it("follows: a live message, its edit and its delete, each as its own event", async () => {
    const follower = spawnCli({
      server: server.url,
      configHome,
      args: ["tail", "--follow", "--json", "--room", "ops", "-n", "1", "--token", tokens.bob!],
    });
    try {
      // the latest message is printed once the socket is up: what is sent now is live
      await follower.waitForLine((l) => l.includes('"content":"three"'), 20_000);
      const alice = await socketOf("alice");
      const ack = await alice.emitWithAck("message:send", { content: "live one", room: "ops" });
      if (!ack.ok) throw new Error(ack.error.detail);
      const id = ack.message.id;
      expect((await alice.emitWithAck("message:edit", { id, content: "live one, edited" })).ok).toBe(true);
      expect((await alice.emitWithAck("message:delete", { id })).ok).toBe(true);
      await follower.waitForLine((l) => l.includes('"type":"delete"'));
      const events = records(follower.lines).filter((r) => r.id === id);
      expect(events.map((r) => r.type)).toEqual(["message", "edit", "delete"]);
      expect(events[0]).toMatchObject({ room: "#ops", username: "alice", content: "live one" });
      expect(events[1]).toMatchObject({ content: "live one, edited" });
      expect(events[1]?.editedAt).not.toBeNull();
      expect(events[2]).toMatchObject({ deleted: true, content: "" });
      alice.disconnect();
    } finally {
      follower.child.kill("SIGTERM");
      await follower.end();
    }
  });
});

describe("export", () => {
  it("pages through 5,000 messages, oldest first, with progress on stderr", async () => {
    const alice = await socketOf("alice");
    expect((await alice.emitWithAck("room:create", { name: "archive" })).ok).toBe(true);
    alice.disconnect();
    const author = await server.db.users.findUserByName("alice");
    if (!author) throw new Error("no alice");
    // through the data layer: the group-commit writer takes them in batches
    await Promise.all(
      Array.from({ length: 5000 }, (_, i) =>
        server.db.messages.insertMessage({
          userId: author.id,
          username: "alice",
          room: "archive",
          content: `archived ${i}`,
        }),
      ),
    );
    const run = await cli("export", ["--room", "archive"], { as: "alice" });
    expect(run.code, run.stderr).toBe(0);
    const all = records(run.lines);
    expect(all).toHaveLength(5000);
    expect(all.map((r) => r.content)).toEqual(Array.from({ length: 5000 }, (_, i) => `archived ${i}`));
    expect(new Set(all.map((r) => r.room))).toEqual(new Set(["#archive"]));
    expect(run.stderr).toMatch(/export #archive \d+%/);
    expect(run.stderr).toMatch(/exported 5000 messages from #archive/);

    const text = await cli("export", ["--room", "archive", "--format", "txt", "--since", "2000-01-01"], {
      as: "alice",
    });
    expect(text.lines).toHaveLength(5000);
    expect(text.lines[0]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d alice: archived 0$/);
    const none = await cli("export", ["--room", "archive", "--until", "2000-01-01"], { as: "alice" });
    expect(none.code).toBe(0);
    expect(none.lines).toEqual([]);
  });
});
