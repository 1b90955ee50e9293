// The terminal chat screen's reading aids against the real server (runTerminalChat in-process on fake
// terminal streams): Tab completion of commands, rooms and users; presence folded into one line per burst;
// a day line above the first message of each day.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openScreen as openTerminalScreen } from "../helpers/terminal-screen";
import { nextEvent, startTestServer, type TestServer, type TestSocket } from "../helpers/test-server";

let server: TestServer;
let configHome: string;
const PASSWORD = "correct horse battery";
const noColor = process.env.NO_COLOR;

beforeAll(async () => {
  server = await startTestServer();
  configHome = mkdtempSync(path.join(tmpdir(), "chatterbox-cli-screen-"));
  process.env.NO_COLOR = "1";
});
afterAll(async () => {
  await server.close();
  rmSync(configHome, { recursive: true, force: true });
  if (noColor === undefined) delete process.env.NO_COLOR;
  else process.env.NO_COLOR = noColor;
});

const openScreen = (username: string) => openTerminalScreen(server, configHome, username, PASSWORD);

/** A socket.io client logged in as `username` (one more tab), once its history is in. */
async function tab(username: string): Promise<TestSocket> {
  return connectTab(await server.token(username, PASSWORD));
}

/** a tab of a session logged in already: only the socket's connection between the calls */
async function connectTab(token: string): Promise<TestSocket> {
  const socket = server.connect({ token });
  await nextEvent(socket, "history");
  return socket;
}

describe("terminal chat screen: reading aids", () => {
  it("completes commands, public rooms and usernames with Tab", async () => {
    const owner = await tab("tabowner");
    expect((await owner.emitWithAck("room:create", { name: "tabroom" })).ok).toBe(true);
    await owner.emitWithAck("message:send", { room: "tabroom", content: "welcome to tabroom" });
    const tty = await openScreen("tabuser");
    await tty.waitFor("/help lists the commands");
    tty.enter("/rooms"); // the directory, fresh (it is also fetched on every connection)
    await tty.waitFor("tabroom");

    // `/jo` Tab `tabr` Tab Enter: joins #tabroom (not joined yet: it is in the directory)
    tty.mark();
    tty.type("/jo\t");
    await tty.waitFor("/join ");
    tty.type("tabr\t");
    await tty.waitFor("/join tabroom ");
    tty.type("\r");
    await tty.waitFor(/── #tabroom ──[\s\S]*tabowner: welcome to tabroom/);
    await tty.waitFor("tabuser #tabroom> ");

    // a name in message text: `@tabo` Tab completes it, and the message goes out as completed
    tty.type("thanks @tabo\t");
    await tty.waitFor("thanks @tabowner ");
    const got = nextEvent(owner, "message:new");
    tty.type("!\r");
    expect(await got).toMatchObject({ room: "tabroom", username: "tabuser", content: "thanks @tabowner !" });

    tty.enter("/quit");
    expect(await tty.outcome).toEqual({ kind: "quit" });
    owner.disconnect();
  });

  it("folds presence changes into one line per burst; a second tab prints nothing", async () => {
    for (const name of ["pat", "quin", "ross", "sven"]) await server.token(name, PASSWORD); // registered
    const tty = await openScreen("watcher");
    await tty.waitFor("watcher #general> ");
    await tty.waitFor("/help lists the commands");

    // one burst: the three log in first and then connect one after the other, in this order (a login each in
    // between could take longer than the terminal's quiet time on a busy machine, and rightly make three lines)
    const [patToken, quinToken, rossToken] = await Promise.all(
      ["pat", "quin", "ross"].map((name) => server.token(name, PASSWORD)),
    );
    tty.mark();
    const pat = await connectTab(patToken!);
    const quin = await connectTab(quinToken!);
    const ross = await connectTab(rossToken!);
    await tty.waitFor("* pat, quin and ross came online\n");
    expect(tty.since().match(/came online/g)).toHaveLength(1);

    // pat opens a second tab (already online: nothing to say), then sven comes: only sven is news
    tty.mark();
    const patAgain = await tab("pat");
    const sven = await tab("sven");
    await tty.waitFor("* sven came online\n");
    expect(tty.since()).not.toContain("pat");

    // pat closes one tab of two (still online), quin and ross leave
    tty.mark();
    patAgain.disconnect();
    quin.disconnect();
    ross.disconnect();
    await tty.waitFor("* quin and ross went offline\n");
    sven.disconnect();
    await tty.waitFor("* sven went offline\n");
    expect(tty.since()).not.toContain("pat");

    pat.disconnect();
    tty.enter("/quit");
    expect(await tty.outcome).toEqual({ kind: "quit" });
  });

  it("does not announce a script's short connection (chatterbox send from cron) as online, then offline", async () => {
    const cron = await server.token("cronjob", PASSWORD);
    const tty = await openScreen("observer");
    await tty.waitFor("/help lists the commands");
    tty.mark();
    const script = await connectTab(cron); // connected, its history in: what `send` waits for before it sends
    script.disconnect();
    // past the server's grace before offline (1.5 s) and the terminal's quiet time after it
    await new Promise((resolve) => setTimeout(resolve, 4500));
    expect(tty.since()).not.toMatch(/cronjob (came online|went offline)/);
    tty.enter("/quit");
    expect(await tty.outcome).toEqual({ kind: "quit" });
  });

  it("sends a paste of several lines as one message; a one-line paste waits for Enter", async () => {
    const reader = await tab("pastereader");
    expect((await reader.emitWithAck("room:create", { name: "pastes" })).ok).toBe(true);
    const tty = await openScreen("pastewriter");
    await tty.waitFor("/help lists the commands");
    expect(tty.raw()).toContain("\x1b[?2004h"); // the terminal is asked to mark pastes
    expect((await reader.emitWithAck("room:invite", { room: "pastes", username: "pastewriter" })).ok).toBe(true);
    tty.enter("/join pastes");
    await tty.waitFor("pastewriter #pastes> ");

    // the terminal wraps a paste in ESC[200~ … ESC[201~; its newlines come as Enter
    let got = nextEvent(reader, "message:new");
    tty.type("\x1b[200~$ npm test\r3 failed\r  at line 12\x1b[201~");
    expect(await got).toMatchObject({ username: "pastewriter", content: "$ npm test\n3 failed\n  at line 12" });
    // one line pasted is typed text: it goes when Enter is pressed, with what was typed after it
    got = nextEvent(reader, "message:new");
    tty.type("\x1b[200~just one line\x1b[201~");
    tty.type(" and more\r");
    expect(await got).toMatchObject({ content: "just one line and more" });
    tty.enter("/quit");
    expect(await tty.outcome).toEqual({ kind: "quit" });
    expect(tty.raw()).toContain("\x1b[?2004l"); // and to stop, once the chat is over
    reader.disconnect();
  });

  it("heads each /search page with its query and count, so two searches do not run together", async () => {
    const poster = await tab("searchposter");
    expect((await poster.emitWithAck("room:create", { name: "finds" })).ok).toBe(true);
    for (const content of ["kubernetes upgrade friday", "the kubernetes nodes are drained", "lunch?"])
      await poster.emitWithAck("message:send", { room: "finds", content });
    await server.token("searcher", PASSWORD); // registered, so that it can be invited
    expect((await poster.emitWithAck("room:invite", { room: "finds", username: "searcher" })).ok).toBe(true);
    const tty = await openScreen("searcher");
    await tty.waitFor("/help lists the commands");
    tty.mark();
    tty.enter("/search kubernetes");
    await tty.waitFor("── 2 results for “kubernetes”, the last ──\n");
    await tty.waitFor("searchposter: the *kubernetes* nodes are drained");
    tty.mark();
    tty.enter("/search lunch");
    await tty.waitFor(/── 1 result for “lunch”, the last ──\n.*searchposter: \*lunch\*\?/);
    tty.enter("/quit");
    expect(await tty.outcome).toEqual({ kind: "quit" });
    poster.disconnect();
  });

  it("prints a day line above the first message of the day", async () => {
    const poster = await tab("dayposter");
    expect((await poster.emitWithAck("room:create", { name: "days" })).ok).toBe(true);
    await poster.emitWithAck("message:send", { room: "days", content: "first today" });
    const tty = await openScreen("dayreader");
    await tty.waitFor("/help lists the commands");
    tty.mark();
    tty.enter("/join days");
    await tty.waitFor(/── #days ──\n(?:.*> )?── Today ──\n(?:.*> )?\[1\] \[\d\d:\d\d\] dayposter: first today\n/);
    // the next message of the same day prints without another day line
    await poster.emitWithAck("message:send", { room: "days", content: "second today" });
    await tty.waitFor("dayposter: second today");
    expect(tty.since().match(/── Today ──/g)).toHaveLength(1);
    tty.enter("/quit");
    expect(await tty.outcome).toEqual({ kind: "quit" });
    poster.disconnect();
  });
});
