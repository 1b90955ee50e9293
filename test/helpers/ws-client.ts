// A plain-WebSocket test client for the seed's /ws protocol: buffers every frame so tests can wait for the
// one they want, and reports refused upgrades with their HTTP status.
import type { IncomingHttpHeaders } from "node:http";
import WebSocket, { type ClientOptions, type RawData } from "ws";
import type { WsServerFrame } from "@/lib/protocol";

export interface WsClient {
  ws: WebSocket;
  /** every frame received so far, in order */
  frames: WsServerFrame[];
  /** the first not-yet-taken frame matching `pred` (waits for it; rejects after `ms`) */
  next(pred?: (f: WsServerFrame) => boolean, ms?: number): Promise<WsServerFrame>;
  /** the next frame of that type */
  nextOf<T extends WsServerFrame["type"]>(type: T, ms?: number): Promise<Extract<WsServerFrame, { type: T }>>;
  /** resolves with the close code and reason */
  closed: Promise<{ code: number; reason: string }>;
  sendJson(value: unknown): void;
  close(): Promise<void>;
}

const wsUrl = (base: string, query: Record<string, string>) => {
  const url = new URL("/ws", base.replace(/^http/, "ws"));
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  return url.toString();
};

function parseFrame(data: RawData): WsServerFrame {
  const text = Array.isArray(data)
    ? Buffer.concat(data).toString("utf8")
    : Buffer.isBuffer(data)
      ? data.toString("utf8")
      : Buffer.from(data).toString("utf8");
  return JSON.parse(text) as WsServerFrame;
}

/** Opens /ws with the given query (token, after); rejects with `Error("refused <status>")` if refused. */
export function openWs(base: string, query: Record<string, string>, opts: ClientOptions = {}): Promise<WsClient> {
  const ws = new WebSocket(wsUrl(base, query), opts);
  const frames: WsServerFrame[] = [];
  const taken = new Set<number>();
  let waiters: Array<() => void> = [];
  ws.on("message", (data) => {
    frames.push(parseFrame(data));
    const current = waiters;
    waiters = [];
    current.forEach((w) => w());
  });
  // errors surface through open/close; a listener keeps a late one from being thrown
  ws.on("error", () => undefined);
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.on("close", (code, reason) => resolve({ code, reason: reason.toString("utf8") }));
  });

  const next = (pred: (f: WsServerFrame) => boolean = () => true, ms = 5000) =>
    new Promise<WsServerFrame>((resolve, reject) => {
      const look = (): boolean => {
        const i = frames.findIndex((f, idx) => !taken.has(idx) && pred(f));
        if (i < 0) return false;
        taken.add(i);
        clearTimeout(timer);
        resolve(frames[i]!);
        return true;
      };
      const timer = setTimeout(() => reject(new Error(`no matching ws frame within ${ms} ms`)), ms);
      const wait = () => {
        if (!look()) waiters.push(wait);
      };
      wait();
    });

  const client: WsClient = {
    ws,
    frames,
    next,
    nextOf: (type, ms) => next((f) => f.type === type, ms) as Promise<Extract<WsServerFrame, { type: typeof type }>>,
    closed,
    sendJson: (value) => ws.send(JSON.stringify(value)),
    close: async () => {
      if (ws.readyState === WebSocket.CLOSED) return;
      ws.close();
      await closed;
    },
  };

  return new Promise((resolve, reject) => {
    ws.once("open", () => resolve(client));
    ws.once("unexpected-response", (_req, res) => {
      reject(new WsRefused(res.statusCode ?? 0, res.headers));
      res.resume();
      ws.terminate();
    });
    ws.once("error", (err) => reject(err));
  });
}

/** An upgrade the server answered with an HTTP status instead of a WebSocket. */
export class WsRefused extends Error {
  constructor(
    readonly status: number,
    readonly headers: IncomingHttpHeaders,
  ) {
    super(`refused ${status}`);
  }
}

/** The HTTP answer to a refused /ws upgrade (rejects if the upgrade succeeds). */
export async function refusal(base: string, query: Record<string, string>, opts: ClientOptions = {}) {
  try {
    const client = await openWs(base, query, opts);
    await client.close();
  } catch (err) {
    if (err instanceof WsRefused) return { status: err.status, headers: err.headers };
    throw err;
  }
  throw new Error("the upgrade was accepted");
}

/** The HTTP status of a refused /ws upgrade (rejects if the upgrade succeeds). */
export async function refusedStatus(
  base: string,
  query: Record<string, string>,
  opts: ClientOptions = {},
): Promise<number> {
  return (await refusal(base, query, opts)).status;
}
