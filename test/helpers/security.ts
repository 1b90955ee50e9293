// Helpers for the security suites (test/security): requests and sockets from a chosen loopback source address
// (so per-address throttles can be tested in isolation: Linux routes all of 127/8 to the loopback interface),
// raw engine.io WebSockets for malformed socket.io packets, and small statistics.
import { randomBytes } from "node:crypto";
import { request as httpRequest, Agent, type IncomingHttpHeaders } from "node:http";
import { io as ioClient, type ManagerOptions, type SocketOptions } from "socket.io-client";
import WebSocket from "ws";
import type { TestSocket } from "./test-server";
import { connectResult } from "./socket-utils";

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** the body parsed as JSON (throws when it is not JSON) */
  json<T = Record<string, unknown>>(): T;
}

export interface RawRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** the local (source) address of the TCP connection, e.g. 127.0.0.9 */
  localAddress?: string;
  timeoutMs?: number;
}

/** One HTTP request through node:http: any source address, any body bytes, any headers. */
export function rawRequest(url: string, pathname: string, opts: RawRequest = {}): Promise<RawResponse> {
  const { method = "GET", headers = {}, body, localAddress, timeoutMs = 10_000 } = opts;
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      new URL(pathname, url),
      { method, headers, ...(localAddress ? { localAddress } : {}), agent: false },
      (res) => {
        const parts: Buffer[] = [];
        res.on("data", (c: Buffer) => parts.push(c));
        res.on("end", () => {
          const text = Buffer.concat(parts).toString("utf8");
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: text,
            json: <T>() => JSON.parse(text) as T,
          });
        });
        res.on("error", reject);
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no response within ${timeoutMs} ms`)));
    req.on("error", reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** A JSON POST (the body is sent as given when it is a string) from an optional source address. */
export function postFrom(
  url: string,
  pathname: string,
  body: unknown,
  opts: { localAddress?: string; headers?: Record<string, string> } = {},
): Promise<RawResponse> {
  return rawRequest(url, pathname, {
    method: "POST",
    headers: { "content-type": "application/json", ...opts.headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
    ...(opts.localAddress ? { localAddress: opts.localAddress } : {}),
  });
}

/** A loopback address of its own for each caller: 127.0.<n>.<m>, never 127.0.0.1. */
let nextHost = 10;
export function freshLoopback(): string {
  const n = nextHost++;
  return `127.0.${Math.floor(n / 250) + 1}.${(n % 250) + 2}`;
}

export type ClientOptions = Partial<ManagerOptions & SocketOptions>;

/**
 * A socket.io client whose TCP connections come from `localAddress` (websocket transport through ws's
 * localAddress, polling through an http.Agent bound to it). Not connected until `connect()`.
 */
export function ioFrom(url: string, localAddress: string | undefined, opts: ClientOptions = {}): TestSocket {
  const bound: Record<string, unknown> = localAddress ? { localAddress, agent: new Agent({ localAddress }) } : {};
  const options = { reconnection: false, forceNew: true, autoConnect: false, ...opts, ...bound } as ClientOptions;
  return ioClient(url, options);
}

/** Resolves with the `connect_error` message, or "connected" when the socket connects (after `ms`: rejects). */
export async function connectOutcome(socket: TestSocket, ms = 5000): Promise<string> {
  const outcome = connectResult(socket, ms);
  if (!socket.active) socket.connect();
  const result = await outcome;
  return "error" in result ? `connect_error: ${result.error}` : "connected";
}

/** A raw engine.io v4 WebSocket at /socket.io/: every text frame it receives, for hand-written packets. */
export interface RawEngineSocket {
  ws: WebSocket;
  frames: string[];
  /** the first received frame (from index `from`) matching `pred`; rejects after `ms` */
  waitFor(pred: (frame: string) => boolean, ms?: number, from?: number): Promise<string>;
  closed: Promise<{ code: number }>;
  close(): Promise<void>;
}

export function openRawEngineSocket(url: string, headers: Record<string, string> = {}): Promise<RawEngineSocket> {
  const ws = new WebSocket(`${url.replace(/^http/, "ws")}/socket.io/?EIO=4&transport=websocket`, { headers });
  const frames: string[] = [];
  let waiters: Array<() => void> = [];
  ws.on("message", (data, isBinary) => {
    const bytes = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
    const text = isBinary ? "<binary>" : bytes.toString("utf8");
    // answer engine.io pings so a slow test is never closed for missing pongs
    if (text === "2") ws.send("3");
    frames.push(text);
    const current = waiters;
    waiters = [];
    current.forEach((w) => w());
  });
  ws.on("error", () => undefined);
  const closed = new Promise<{ code: number }>((resolve) => ws.on("close", (code) => resolve({ code })));
  const waitFor = (pred: (frame: string) => boolean, ms = 5000, from = 0) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching engine.io frame within ${ms} ms`)), ms);
      const look = () => {
        const found = frames.slice(from).find(pred);
        if (found !== undefined) {
          clearTimeout(timer);
          resolve(found);
        } else waiters.push(look);
      };
      look();
    });
  const socket: RawEngineSocket = {
    ws,
    frames,
    waitFor,
    closed,
    close: async () => {
      if (ws.readyState === WebSocket.CLOSED) return;
      ws.terminate();
      await closed;
    },
  };
  return new Promise((resolve, reject) => {
    ws.once("open", () => resolve(socket));
    ws.once("unexpected-response", (_req, res) => {
      res.resume();
      reject(new Error(`refused ${res.statusCode}`));
    });
    ws.once("error", reject);
  });
}

/** Resolves `true` if the promise settles within `ms`, `false` otherwise (never rejects). */
export function settlesWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    p.then(
      () => {
        clearTimeout(timer);
        resolve(true);
      },
      () => {
        clearTimeout(timer);
        resolve(true);
      },
    );
  });
}

/** The q-quantile (0..1) of some numbers, nearest-rank. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new Error("quantile of nothing");
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

export const median = (values: readonly number[]): number => quantile(values, 0.5);

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A name no earlier test used: `prefix_` and 8 hex digits. */
export const uniqueName = (prefix: string): string => `${prefix}_${randomBytes(4).toString("hex")}`;
