// The terminal client (a real child process) and a plain WebSocket client on one server: messages cross
// both ways, and each sees the other's history.
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WsServerFrame } from "@/lib/protocol";
import { CONNECTED_LINE, parseMessageLine, spawnCli } from "../helpers/cli-process";
import { startTestServer, type TestServer } from "../helpers/test-server";

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

function openWs(token: string): Promise<{ ws: WebSocket; frames: WsServerFrame[] }> {
  const ws = new WebSocket(`${server.url.replace("http", "ws")}/ws?token=${token}`);
  const frames: WsServerFrame[] = [];
  ws.on("message", (data: Buffer) => frames.push(JSON.parse(data.toString()) as WsServerFrame));
  return new Promise((resolve, reject) => {
    ws.once("open", () => resolve({ ws, frames }));
    ws.once("error", reject);
  });
}

async function until<T>(probe: () => T | undefined, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("terminal client ↔ plain WebSocket client", () => {
  it("exchanges messages both ways and shares history", async () => {
    const wsToken = await server.token("wsuser");
    const { ws, frames } = await openWs(wsToken);
    ws.send(JSON.stringify({ content: "before the CLI joined" }));
    await until(() => frames.find((f) => f.type === "message" && f.content === "before the CLI joined"));

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
      const received = await until(() =>
        frames.find((f) => f.type === "message" && f.content === "hello from the terminal"),
      );
      expect(received).toMatchObject({ type: "message", username: "termuser" });

      // WebSocket → CLI
      ws.send(JSON.stringify({ content: "hello from a plain WebSocket" }));
      const line = await cli.waitForLine((l) => parseMessageLine(l)?.content === "hello from a plain WebSocket");
      expect(parseMessageLine(line)).toMatchObject({ username: "wsuser" });
    } finally {
      const { code } = await cli.end();
      expect(code).toBe(0);
      ws.close();
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
