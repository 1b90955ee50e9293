// `chatterbox hooks` as a real child process against a real server: create prints the URL alone on stdout
// (it works: a post to it lands in the room), list shows it, revoke kills it; usage errors exit 2, refusals 1.
import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CredentialStore } from "../../cli/credentials";
import { CLI_BIN } from "../helpers/cli-process";
import { waitConnected } from "../helpers/socket-utils";
import { nextEvent, startTestServer, type TestServer } from "../helpers/test-server";

const exec = promisify(execFile);
let server: TestServer;
let configHome: string;
let token: string;

beforeAll(async () => {
  server = await startTestServer();
  token = await server.token("clihook_alice");
  configHome = mkdtempSync(path.join(tmpdir(), "chatterbox-cli-hooks-"));
  await new CredentialStore(path.join(configHome, "chatterbox")).set(server.url, { token, username: "clihook_alice" });
  const s = server.connect({ token });
  await waitConnected(s);
  await s.emitWithAck("room:create", { name: "deploys" });
  s.disconnect();
});
afterAll(async () => {
  await server.close();
});

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [CLI_BIN, "--server", server.url, ...args], {
      env: { ...process.env, XDG_CONFIG_HOME: configHome, NO_COLOR: "1" },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("chatterbox hooks", () => {
  it("create prints a working URL; list shows the hook; revoke ends it", async () => {
    const created = await cli("hooks", "create", "#deploys", "CI bot");
    expect(created.code).toBe(0);
    const url = created.stdout.trim();
    expect(url).toMatch(new RegExp(`^${server.url}/hooks/[A-Za-z0-9_-]{32}$`));
    expect(created.stderr).toMatch(/not shown again/);

    const watcher = server.connect({ token });
    await waitConnected(watcher);
    const seen = nextEvent(watcher, "message:new");
    const res = await fetch(url, { method: "POST", body: JSON.stringify({ text: "build 42 passed" }) });
    expect(res.status).toBe(200);
    expect(await seen).toMatchObject({ room: "deploys", content: "build 42 passed", bot: { name: "CI bot" } });
    // tail names the post by its bot, never as the member who made the hook, in text and in JSON
    const text = await cli("tail", "--room", "deploys", "-n", "1");
    expect(text.stdout).toMatch(/ #deploys CI bot \[bot\]: build 42 passed\n$/);
    const json = await cli("tail", "--room", "deploys", "-n", "1", "--json");
    expect(JSON.parse(json.stdout)).toMatchObject({ username: "clihook_alice", bot: { name: "CI bot" } });

    const listed = await cli("hooks", "list", "--room", "deploys");
    expect(listed.code).toBe(0);
    const [line] = listed.stdout.trim().split("\n");
    const id = line?.split("\t")[0];
    expect(line).toMatch(/^\d+\t#deploys\tCI bot\tby clihook_alice\tlast used \d{4}-/);

    const revoked = await cli("hooks", "revoke", id ?? "");
    expect(revoked.code).toBe(0);
    expect((await fetch(url, { method: "POST", body: JSON.stringify({ text: "x" }) })).status).toBe(404);
    expect((await cli("hooks", "list", "--room", "deploys")).stdout).toBe("");
    watcher.disconnect();
  });

  it("refusals exit 1 with the server's reason; usage errors exit 2", async () => {
    const notMember = await cli("hooks", "create", "nowhere", "x");
    expect(notMember.code).toBe(1);
    expect(notMember.stderr).toMatch(/nowhere/i);
    expect((await cli("hooks", "revoke", "999999")).code).toBe(1);
    const badId = await cli("hooks", "revoke", "abc");
    expect(badId.code).toBe(2);
    expect(badId.stderr).toMatch(/not a webhook id/);
    expect((await cli("hooks", "create", "@bob", "x")).code).toBe(2);
    const loggedOut = await exec(process.execPath, [CLI_BIN, "--server", server.url, "hooks", "list"], {
      env: { ...process.env, XDG_CONFIG_HOME: mkdtempSync(path.join(tmpdir(), "chatterbox-empty-")) },
    }).then(
      () => ({ code: 0, stderr: "" }),
      (err: unknown) => err as { code: number; stderr: string },
    );
    expect(loggedOut.code).toBe(2);
    expect(loggedOut.stderr).toMatch(/Not logged in/);
  });
});
