// Baseline for latency and fan-out: the least a broadcast server can do with the same `ws` library.
// Clients connect to ws://127.0.0.1:<port>/?room=<name>; every text frame a client sends is forwarded,
// byte for byte, to every socket in its room (the sender included). No parsing, no persistence, no auth.
// RAW_DURABLE_DB=<file>: each frame is first committed as one row to that SQLite file (WAL, synchronous=FULL,
// as the server's writer): the least a durable broadcast server can do, the floor under latency's p50.
// Prints `LISTENING <url>`; GET /__bench/memory runs a GC (with --expose-gc) and answers process.memoryUsage().
// GET /__bench/page?bytes=N answers N bytes of JSON (made once): the HTTP floor for a history page of that size.
import { createServer } from "node:http";
import Database from "better-sqlite3";
import { WebSocketServer, type WebSocket } from "ws";
import { LISTENING_PREFIX } from "./lib/procs";

const rooms = new Map<string, Set<WebSocket>>();
const commit = durableCommit(process.env.RAW_DURABLE_DB);

function durableCommit(file: string | undefined): ((frame: Buffer) => void) | undefined {
  if (!file) return undefined;
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  db.exec("CREATE TABLE IF NOT EXISTS frames (id INTEGER PRIMARY KEY, body BLOB NOT NULL)");
  const insert = db.prepare<[Buffer]>("INSERT INTO frames (body) VALUES (?)");
  return (frame) => void insert.run(frame);
}
const pages = new Map<number, string>();
/** at most 16 MB: a bigger ask is answered with that */
const pageOf = (asked: number) => {
  const bytes = Math.min(asked, 16 * 1024 * 1024);
  let page = pages.get(bytes);
  if (page === undefined) pages.set(bytes, (page = JSON.stringify({ pad: "x".repeat(Math.max(0, bytes - 10)) })));
  return page;
};

const http = createServer((req, res) => {
  if (req.url === "/__bench/memory") {
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    gc?.();
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(process.memoryUsage()));
    return;
  }
  if (req.url?.startsWith("/__bench/page?bytes=")) {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(pageOf(Number(req.url.slice("/__bench/page?bytes=".length)) || 0));
    return;
  }
  res.writeHead(404).end();
});
const wss = new WebSocketServer({ server: http, perMessageDeflate: false });

wss.on("connection", (ws, req) => {
  const room = new URL(req.url ?? "/", "http://x").searchParams.get("room") ?? "general";
  let members = rooms.get(room);
  if (!members) rooms.set(room, (members = new Set()));
  members.add(ws);
  ws.on("message", (data, isBinary) => {
    commit?.(Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data));
    for (const member of members) if (member.readyState === member.OPEN) member.send(data, { binary: isBinary });
  });
  ws.on("close", () => members.delete(ws));
  ws.on("error", () => undefined);
});

http.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  const addr = http.address();
  const port = typeof addr === "object" && addr ? addr.port : 0;
  process.stdout.write(`${LISTENING_PREFIX}ws://127.0.0.1:${port}\n`);
});

const stop = () => {
  for (const ws of wss.clients) ws.terminate();
  wss.close();
  http.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 1000).unref();
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
