// The terminal client's account commands against a real server: `chatterbox passwd` (hidden prompts, here
// answered by a script), `chatterbox sessions` (list, revoke one, revoke the others), and /me and /nick's
// requests and output.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { changePassword, formatSessions, revokeSessions, type AccountIo } from "@/cli/account";
import { CLI_USER_AGENT, http } from "@/cli/api";
import { main } from "@/cli/main";
import { formatProfile, parseNick } from "@/cli/terminal/profile";
import type { SessionInfo } from "@/lib/protocol";
import { getMessages } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/test-server";

const PASSWORD = "correct horse battery";
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});
afterAll(async () => {
  await server.close();
});

/** Logs in as the terminal client does (its user agent), returning what the account commands take. */
async function cliLogin(username: string): Promise<AccountIo & { lines: string[] }> {
  expect((await server.post("/register", { username, password: PASSWORD })).status).toBe(200);
  const token = await http(server.url).request("login", {
    method: "POST",
    body: { username, password: PASSWORD },
  });
  const lines: string[] = [];
  return {
    serverUrl: server.url,
    login: { username, token: (token.body as { token: string }).token },
    say: (line) => lines.push(line),
    lines,
  };
}

/** Answers each prompt in turn, and records what was asked. */
function scripted(answers: string[]) {
  const asked: string[] = [];
  const ask = (message: string, validate?: (value: string) => true | string) => {
    asked.push(message);
    const answer = answers.shift() ?? "";
    const verdict = validate?.(answer) ?? true;
    if (verdict !== true) throw new Error(`prompt refused the scripted answer: ${verdict}`);
    return Promise.resolve(answer);
  };
  return { ask, asked };
}

describe("chatterbox passwd", () => {
  it("asks for the current password and the new one twice; other sessions end, this one stays", async () => {
    const io = await cliLogin("cli_passwd");
    const other = await server.token("cli_passwd");
    const { ask, asked } = scripted([PASSWORD, "a new terminal passphrase", "a new terminal passphrase"]);
    expect(await changePassword(io, ask)).toBe(0);
    expect(asked).toEqual(["Current password for cli_passwd", "New password", "New password again"]);
    expect(io.lines.join("\n")).toMatch(/Password changed\. 1 other session was signed out; this one stays\./);
    expect((await getMessages(server.url, {}, { token: other })).status).toBe(401);
    expect((await getMessages(server.url, {}, { token: io.login.token })).status).toBe(200);
  });

  it("refuses a wrong current password with the server's reason, and mismatched new ones before asking it", async () => {
    const io = await cliLogin("cli_passwd_wrong");
    const wrong = scripted(["not it", "a new terminal passphrase", "a new terminal passphrase"]);
    await expect(changePassword(io, wrong.ask)).rejects.toThrow(/current password is wrong/);
    const mismatch = scripted([PASSWORD, "a new terminal passphrase", "something else entirely"]);
    expect(await changePassword(io, mismatch.ask)).toBe(1);
    expect(io.lines.join("\n")).toMatch(/do not match; nothing was changed/);
    // a new password the rules refuse is refused by the prompt itself (validated as it is typed)
    const short = scripted([PASSWORD, "short"]);
    await expect(changePassword(io, short.ask)).rejects.toThrow(/at least 8 bytes/);
  });
});

describe("chatterbox sessions", () => {
  it("lists the sessions (the terminal client named as such), revokes one by id and then the others", async () => {
    const io = await cliLogin("cli_sessions");
    const browser = await server.token("cli_sessions");
    const third = await server.token("cli_sessions");
    const sessions = await http(server.url, io.login.token).sessions();
    expect(sessions).toHaveLength(3);
    const mine = sessions.find((s) => s.current)!;
    expect(mine.device).toBe("Terminal client");
    expect(mine.userAgent).toBe(CLI_USER_AGENT);

    const text = formatSessions(sessions);
    expect(text).toContain("Signed in (3):");
    expect(text).toMatch(new RegExp(`${mine.id}\\s+Terminal client.*this one`));

    const target = sessions.find((s) => !s.current)!;
    expect(await revokeSessions(io, target.id)).toBe(0);
    expect(io.lines).toContain(`Signed out session ${target.id}.`);
    expect(await revokeSessions(io, "others")).toBe(0);
    expect(io.lines).toContain("Signed out 1 other session.");
    for (const t of [browser, third]) expect((await getMessages(server.url, {}, { token: t })).status).toBe(401);
    await expect(revokeSessions(io, 99_999_999)).rejects.toThrow(/No such session/);
  });

  it("runs as `chatterbox sessions` from the shell, logging in with --username and CHATTERBOX_PASSWORD", async () => {
    await server.token("cli_shell");
    vi.stubEnv("XDG_CONFIG_HOME", mkdtempSync(path.join(tmpdir(), "chatterbox-cli-")));
    vi.stubEnv("CHATTERBOX_PASSWORD", PASSWORD);
    const printed: string[] = [];
    vi.spyOn(console, "log").mockImplementation((line: string) => void printed.push(line));
    const code = await main(["node", "chatterbox", "sessions", "--server", server.url, "--username", "cli_shell"]);
    expect(code).toBe(0);
    expect(printed.join("\n")).toMatch(/Signed in \(2\):[\s\S]*Terminal client.*this one/);
    const usage = await main(["node", "chatterbox", "sessions", "revoke", "--server", server.url, "abc"]);
    expect(usage).toBe(2);
  });
});

describe("/me and /nick", () => {
  it("/nick sets or clears the display name (validated before sending); /me prints the profile", async () => {
    const io = await cliLogin("cli_nick");
    expect(parseNick("  Ada  ")).toEqual({ displayName: "Ada" });
    expect(parseNick("")).toEqual({ displayName: null });
    expect(parseNick("bad\u0007name")).toEqual({ error: "display name may not contain control characters" });
    const client = http(server.url, io.login.token);
    const set = parseNick("Terminal Ada");
    if ("error" in set) throw new Error(set.error);
    await client.updateProfile({ displayName: set.displayName, status: "in a terminal" });
    const profile = formatProfile(await client.me());
    expect(profile).toContain("You are Terminal Ada (@cli_nick).");
    expect(profile).toContain("status:  in a terminal");
    expect(profile).toContain("avatar:  initials");
  });

  it("formats the sessions list of another device kindly", () => {
    const s: SessionInfo = {
      id: 7,
      current: false,
      createdAt: "2026-12-01T10:00:00.000Z",
      lastUsedAt: "2026-12-02T10:00:00.000Z",
      userAgent: null,
      device: "Unknown device",
    };
    expect(formatSessions([s])).toMatch(/^\s+7 {2}Unknown device/m);
  });
});
