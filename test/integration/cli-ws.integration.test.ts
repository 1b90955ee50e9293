// The terminal client (a real child process) and a plain WebSocket client on one server: messages cross
// both ways, and each sees the other's history.
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONNECTED_LINE, parseMessageLine, spawnCli } from "../helpers/cli-process";
import { startTestServer, type TestServer } from "../helpers/test-server";
import { openWs } from "../helpers/ws-client";

let server: TestServer;
let configHome: string;

beforeAll(async () => {
  server = await startTestServer();
  configHome = mkdtempSync(path.join(tmpdir(), "chatterbox-cli-home-"));
});
afterAll(async () => {
  await server.close();
  rmSync(configHome, { recursive: true, force: true });
});

describe("terminal client ↔ plain WebSocket client", () => {
  it("exchanges messages both ways and shares history", async () => {
    const wsToken = await server.token("wsuser");
    const ws = await openWs(server.url, { token: wsToken });
    ws.sendJson({ content: "before the CLI joined" });
    await ws.next((f) => f.type === "message" && f.content === "before the CLI joined");

    const cli = spawnCli({
      server: server.url,
      username: "termuser",
      password: "terminal password",
      register: true,
      configHome,
    });
    try {
      // history shows what the WebSocket client said before
      await cli.waitForLine((l) => l === CONNECTED_LINE, 20_000);
      expect(
        cli.lines.map((l) => parseMessageLine(l)).find((m) => m?.content === "before the CLI joined"),
      ).toMatchObject({ username: "wsuser" });

      // CLI → WebSocket
      cli.send("hello from the terminal");
      const received = await ws.next((f) => f.type === "message" && f.content === "hello from the terminal", 10_000);
      expect(received).toMatchObject({ type: "message", username: "termuser" });

      // WebSocket → CLI
      ws.sendJson({ content: "hello from a plain WebSocket" });
      const line = await cli.waitForLine((l) => parseMessageLine(l)?.content === "hello from a plain WebSocket");
      expect(parseMessageLine(line)).toMatchObject({ username: "wsuser" });
    } finally {
      const { code } = await cli.end();
      expect(code).toBe(0);
      await ws.close();
    }

    // the token was kept for the next run, owner-only
    const stat = statSync(path.join(configHome, "chatterbox", "credentials.json"));
    expect(stat.mode & 0o777).toBe(0o600);

    // a second run with the stored token (no username): sees both messages in its history
    const again = spawnCli({ server: server.url, configHome });
    await again.waitForLine((l) => l === CONNECTED_LINE, 20_000);
    const contents = again.lines.map((l) => parseMessageLine(l)?.content);
    expect(contents).toEqual(
      expect.arrayContaining(["before the CLI joined", "hello from the terminal", "hello from a plain WebSocket"]),
    );
    expect((await again.end()).code).toBe(0);
  });
});
