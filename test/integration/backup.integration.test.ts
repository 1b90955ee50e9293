// `npm run backup -- <file>` (scripts/backup.ts) while the server takes writes: the copy holds every message
// acked before the backup started, its message count is what the command printed, PRAGMA integrity_check
// says ok, and a server started on the copy serves exactly that many messages. An existing file is not
// overwritten without --force.
import { spawn } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { messagesResponseSchema, type Message } from "@/lib/protocol";
import { sqliteAll, withSqlite } from "../helpers/sqlite";
import { onPostgres } from "../helpers/test-database";
import { nextEvent, startTestServer, type TestServer } from "../helpers/test-server";

const SCRIPT = fileURLToPath(new URL("../../scripts/backup.ts", import.meta.url));
let server: TestServer;
let scratch: string;

beforeAll(async () => {
  server = await startTestServer();
  scratch = mkdtempSync(path.join(tmpdir(), "chatterbox-backup-"));
});
afterAll(async () => {
  await server.close();
  rmSync(scratch, { recursive: true, force: true });
});

function runBackup(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", SCRIPT, ...args], {
    env: { ...process.env, DATABASE_URL: server.databaseUrl },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
  child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
  return new Promise((resolve) => child.once("close", (code) => resolve({ code, stdout, stderr })));
}

/** Every message of general, paged over REST. */
async function allMessages(url: string, token: string): Promise<Message[]> {
  const all: Message[] = [];
  for (let after = 0; ;) {
    const res = await fetch(`${url}/api/messages?room=general&after=${after}&limit=500`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const page = messagesResponseSchema.parse(await res.json()).messages;
    all.push(...page);
    if (page.length < 500) return all;
    after = page.at(-1)!.id;
  }
}

// npm run backup copies the SQLite file; a PostgreSQL deployment uses pg_dump (README "PostgreSQL")
describe.skipIf(onPostgres)("npm run backup", () => {
  it("copies a consistent state under write load, and a server restored from it has those messages", async () => {
    const socket = server.connect({ token: await server.token("alice") });
    await nextEvent(socket, "history");
    const acked: number[] = [];
    let writing = true;
    // four writers, each sending as soon as its last message is acked
    const writers = Array.from({ length: 4 }, async (_, w) => {
      for (let i = 0; writing; i++) {
        const ack = await socket.emitWithAck("message:send", { content: `load ${w}.${i}` });
        if (ack.ok) acked.push(ack.message.id);
      }
    });
    while (acked.length < 200) await new Promise((resolve) => setTimeout(resolve, 20));
    const ackedBefore = [...acked];
    const file = path.join(scratch, "chat.db");
    const backup = await runBackup([file]);
    const ackedAfter = acked.length;
    writing = false;
    await Promise.all(writers);

    expect(backup.code, backup.stderr).toBe(0);
    const printed = Number(/(\d+) messages/.exec(backup.stdout)?.[1]);
    expect(backup.stdout).toMatch(/\d+\.\d MB/);
    const ids = new Set(sqliteAll<{ id: number }>(file, `SELECT "id" FROM "Message"`).map((r) => r.id));
    expect(ids.size).toBe(printed);
    for (const id of ackedBefore) expect(ids.has(id)).toBe(true);
    expect(ids.size).toBeLessThanOrEqual(ackedAfter);
    expect(withSqlite(file, (db) => db.pragma("integrity_check", { simple: true }))).toBe("ok");

    // restore: a server started on the copy
    const restoredDir = mkdtempSync(path.join(scratch, "restored-"));
    copyFileSync(file, path.join(restoredDir, "test.db"));
    const restored = await startTestServer({ dir: restoredDir });
    try {
      const messages = await allMessages(restored.url, await restored.token("alice"));
      expect(messages).toHaveLength(printed);
      expect(new Set(messages.map((m) => m.id))).toEqual(ids);
    } finally {
      await restored.close();
    }
  });

  it("refuses to overwrite a file without --force", async () => {
    const file = path.join(scratch, "again.db");
    expect((await runBackup([file])).code).toBe(0);
    const refused = await runBackup([file]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--force/);
    const forced = await runBackup([file, "--force"]);
    expect(forced.code, forced.stderr).toBe(0);
  });
});

describe.runIf(onPostgres)("npm run backup on PostgreSQL", () => {
  it("refuses with a clear message pointing at pg_dump", async () => {
    const refused = await runBackup([path.join(scratch, "pg.db")]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/pg_dump/);
  });
});
