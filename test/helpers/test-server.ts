// A real Chatterbox server for integration tests (createChatServer without Next: the route table, socket.io
// and the /ws gateway) on an ephemeral loopback port, over a fresh SQLite file in a temp dir (or, under
// TEST_DATABASE=postgres, a fresh PostgreSQL database: test-database.ts). One per test
// file (the runtime that route handlers read is process-global, and Vitest runs each file in its own worker).
import { mkdtempSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { io as ioClient, type Socket } from "socket.io-client";
import { loadServerConfig } from "@/lib/config";
import type { ClientToServerEvents, Message, ServerToClientEvents, SocketAuth } from "@/lib/protocol";
import type { DataLayer } from "@/lib/db/data-layer";
import type { Counters } from "@/lib/server/counters";
import { createChatServer } from "@/lib/server/create-chat-server";
import type { Services } from "@/lib/services";
import { dropTestDatabase, testDatabaseUrl } from "./test-database";

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface TestServer {
  url: string;
  dir: string;
  /** the SQLite file (under TEST_DATABASE=postgres: where it would be; nothing is there) */
  databasePath: string;
  /** DATABASE_URL: `file:` + databasePath, or the test's PostgreSQL database */
  databaseUrl: string;
  services: Services;
  /** the server's database (closing it leaves the server running without one) */
  db: DataLayer;
  /** the server's cut-off counters (slow consumers, per-user cap, MAX_CONNECTIONS) */
  counters: Counters;
  /** the node:http server everything listens on */
  httpServer: Server;
  post(pathname: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  /** registers (once) and logs in; the bearer token */
  token(username: string, password?: string): Promise<string>;
  connect(auth: SocketAuth, opts?: { autoConnect?: boolean }): TestSocket;
  /** stops the server; `keepData` leaves the database for a restart on the same file */
  close(opts?: { keepData?: boolean }): Promise<void>;
}

export async function startTestServer(opts: { dir?: string; env?: Record<string, string> } = {}): Promise<TestServer> {
  const dir = opts.dir ?? mkdtempSync(path.join(tmpdir(), "chatterbox-test-"));
  const databaseUrl = await testDatabaseUrl(dir);
  const config = loadServerConfig({
    NODE_ENV: "test",
    DATABASE_URL: databaseUrl,
    // beside the database, as on SQLite (on PostgreSQL the default would be ./data/uploads)
    UPLOAD_DIR: path.join(dir, "uploads"),
    BCRYPT_COST: "10",
    LOG_LEVEL: "silent",
    // suites that test throttling set their own; the rest send more than a person would
    THROTTLE_REGISTRATIONS: "100000",
    THROTTLE_MESSAGES: "100000",
    THROTTLE_CONNECTIONS: "100000",
    ...opts.env,
  });
  const server = await createChatServer({ config });
  const url = await server.listen(0, "127.0.0.1");
  const sockets: TestSocket[] = [];
  const registered = new Set<string>();

  const post = (pathname: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(url + pathname, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });

  return {
    url,
    dir,
    databasePath: path.join(dir, "test.db"),
    databaseUrl,
    services: server.services,
    db: server.db,
    counters: server.counters,
    httpServer: server.httpServer,
    post,
    async token(username, password = "correct horse battery") {
      if (!registered.has(username)) {
        const r = await post("/register", { username, password });
        if (r.status !== 200 && r.status !== 400) throw new Error(`register failed: ${r.status}`);
        registered.add(username);
      }
      const res = await post("/login", { username, password });
      if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { token: string }).token;
    },
    connect(auth, { autoConnect = true } = {}) {
      const socket: TestSocket = ioClient(url, { auth, transports: ["websocket"], autoConnect, reconnection: false });
      sockets.push(socket);
      return socket;
    },
    async close({ keepData = false } = {}) {
      for (const s of sockets) s.disconnect();
      await server.close();
      if (keepData) return;
      rmSync(dir, { recursive: true, force: true });
      await dropTestDatabase(databaseUrl);
    },
  };
}

/** Resolves with the next `event` payload (rejects after `ms`). */
export function nextEvent<E extends keyof ServerToClientEvents>(
  socket: TestSocket,
  event: E,
  ms = 5000,
): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${String(event)} within ${ms} ms`)), ms);
    const listener = (payload: Parameters<ServerToClientEvents[E]>[0]) => {
      clearTimeout(timer);
      resolve(payload);
    };
    (socket as unknown as { once(e: string, l: (p: unknown) => void): void }).once(
      event,
      listener as (p: unknown) => void,
    );
  });
}

/** Collects message:new payloads until `count` have arrived. */
export function collectMessages(socket: TestSocket, count: number, ms = 10_000): Promise<Message[]> {
  const got: Message[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`got ${got.length}/${count} messages`)), ms);
    socket.on("message:new", (m) => {
      got.push(m);
      if (got.length === count) {
        clearTimeout(timer);
        resolve(got);
      }
    });
  });
}
