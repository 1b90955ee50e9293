// docs/SCALING.md's load balancer, run for real: Debian's nginx with the documented upstream (the client's
// whole address hashed, failover after one refused connection) in front of two real processes that share one
// database and one Redis, with TRUST_PROXY. Clients come from different loopback addresses, so nginx spreads
// them over both processes: socket.io (long-polling first, then the WebSocket upgrade, which only works when
// every request of a session reaches one process) and /ws talk across them; then the process of one client
// is killed, and that client reconnects through nginx to the other, catches up and sends again.
import { randomUUID } from "node:crypto";
import http from "node:http";
import { io, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ClientToServerEvents, Message, ServerToClientEvents } from "@/lib/protocol";
import { startCluster, type TestCluster } from "../helpers/cluster";
import { documentedBlock, startNginx, type TestNginx } from "../helpers/nginx";
import { registerAndLogin, TEST_PASSWORD } from "../helpers/remote";
import { nextEvent } from "../helpers/test-server";
import { openWs, type WsClient } from "../helpers/ws-client";

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

const SCALING = new URL("../../docs/SCALING.md", import.meta.url);
const OPERATIONS = new URL("../../docs/OPERATIONS.md", import.meta.url);

let cluster: TestCluster;
let nginx: TestNginx;
const cleanups: (() => unknown)[] = [];

/** the documented upstream with the processes' ports, and the documented proxy with a header naming the process */
function config(ports: number[]): { http: string; server: string } {
  const upstream = documentedBlock(SCALING, "cluster");
  if (!upstream.includes("127.0.0.1:8001") || !upstream.includes("127.0.0.1:8002")) {
    throw new Error("docs/SCALING.md's upstream no longer lists 127.0.0.1:8001 and 127.0.0.1:8002");
  }
  const proxy = documentedBlock(OPERATIONS, "proxy").replace(
    "proxy_pass http://chatterbox;",
    "proxy_pass http://chatterbox_cluster;",
  );
  if (!proxy.includes("chatterbox_cluster")) throw new Error("docs/OPERATIONS.md's proxy_pass changed");
  return {
    http: upstream
      .replace("127.0.0.1:8001", `127.0.0.1:${ports[0]}`)
      .replace("127.0.0.1:8002", `127.0.0.1:${ports[1]}`),
    // test-only: which process answered (the upstream's address)
    server: `  add_header X-Upstream $upstream_addr always;\n${proxy}`,
  };
}

/** the process (its port) nginx sends a client at `localAddress` to */
function upstreamPort(localAddress: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(`${nginx.url}/api/health`, { localAddress, agent: false }, (res) => {
        res.resume();
        const upstream = String(res.headers["x-upstream"] ?? "");
        resolve(Number(upstream.split(":").pop()));
      })
      .on("error", reject);
  });
}

/** a loopback source address that nginx sends to each process: [to process 0, to process 1] */
async function addressesPerProcess(ports: number[]): Promise<[string, string]> {
  const found = new Map<number, string>();
  for (let i = 1; i < 64 && found.size < 2; i++) {
    const address = `127.0.0.${i}`;
    const port = await upstreamPort(address);
    if (!found.has(port)) found.set(port, address);
  }
  const pick = (port: number) => {
    const a = found.get(port);
    if (!a) throw new Error(`no loopback address reached the process on port ${port}`);
    return a;
  };
  return [pick(ports[0]!), pick(ports[1]!)];
}

/** the next `message:new` on `socket` with this content (its own echoes and others pass by) */
function messageWith(socket: Client, content: string): Promise<Message> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no message "${content}" within 10 s`)), 10_000);
    const listener = (m: Message) => {
      if (m.content !== content) return;
      clearTimeout(timer);
      socket.off("message:new", listener);
      resolve(m);
    };
    socket.on("message:new", listener);
  });
}

/** POST /login through nginx from `localAddress`: the status */
function loginFrom(localAddress: string, username: string, password: string): Promise<number> {
  const body = JSON.stringify({ username, password });
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${nginx.url}/login`,
      { method: "POST", localAddress, agent: false, headers: { "content-type": "application/json" } },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** socket.io-client as a browser uses it (long-polling, then the upgrade), from `localAddress`, reconnecting */
function browserLike(token: string, localAddress: string): Client {
  const agent = new http.Agent({ localAddress, keepAlive: true });
  const socket: Client = io(nginx.url, {
    auth: { token },
    agent: agent as unknown as string,
    localAddress,
    reconnectionDelay: 100,
    reconnectionDelayMax: 500,
  } as Parameters<typeof io>[1]);
  cleanups.push(
    () => socket.disconnect(),
    () => agent.destroy(),
  );
  return socket;
}

beforeAll(async () => {
  cluster = await startCluster(2, { env: { TRUST_PROXY: "true" } });
  const ports = cluster.servers.map((s) => Number(new URL(s.url).port));
  nginx = await startNginx(config(ports));
}, 60_000);

afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
  await nginx?.stop();
  await cluster?.close();
});

describe("two processes behind the documented nginx", () => {
  let alice: Client;
  let bob: WsClient;
  let aliceAddress: string;

  it("spreads clients by address; socket.io upgrades through its process; messages cross both ways", async () => {
    const ports = cluster.servers.map((s) => Number(new URL(s.url).port));
    const [toFirst, toSecond] = await addressesPerProcess(ports);
    aliceAddress = toFirst;
    const [aliceToken, bobToken] = [
      await registerAndLogin(nginx.url, "alice"),
      await registerAndLogin(nginx.url, "bob"),
    ];
    alice = browserLike(aliceToken, toFirst);
    await nextEvent(alice, "history", 15_000);
    await new Promise<void>((resolve) =>
      alice.io.engine.transport.name === "websocket" ? resolve() : alice.io.engine.once("upgrade", () => resolve()),
    );
    expect(alice.io.engine.transport.name).toBe("websocket");
    bob = await openWs(nginx.url, { token: bobToken }, { localAddress: toSecond });
    cleanups.push(() => bob.close());
    await bob.nextOf("history");

    const ack = await alice.emitWithAck("message:send", { content: "from process one", clientId: randomUUID() });
    expect(ack).toMatchObject({ ok: true });
    expect(await bob.next((f) => f.type === "message" && f.content === "from process one")).toMatchObject({
      username: "alice",
    });
    const heard = messageWith(alice, "from process two");
    bob.sendJson({ content: "from process two" });
    expect(await heard).toMatchObject({ content: "from process two", username: "bob" });
  });

  it("sees each client's own address through nginx (TRUST_PROXY): one address's failed logins throttle only it", async () => {
    await registerAndLogin(nginx.url, "guarded");
    // THROTTLE_LOGINS (10) failures a minute for one account from one address, then 429 from that address
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push(await loginFrom("127.0.0.70", "guarded", "not the password"));
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses[10]).toBe(429);
    // another address is another key: it is still asked for the password, and the right one logs in; were
    // nginx's own address taken for every client, this would be throttled too
    expect(await loginFrom("127.0.0.71", "guarded", "not the password")).toBe(401);
    expect(await loginFrom("127.0.0.71", "guarded", TEST_PASSWORD)).toBe(200);
  });

  it("a killed process's client reconnects through nginx to the other, catches up and sends again", async () => {
    const reconnected = new Promise<void>((resolve) => alice.io.once("reconnect", () => resolve()));
    await cluster.kill(0, "SIGKILL");
    // while alice is away
    bob.sendJson({ content: "while you were away" });
    await bob.next((f) => f.type === "message" && f.content === "while you were away");
    const history = nextEvent(alice, "history", 15_000);
    await reconnected;
    const caughtUp = await history;
    expect(caughtUp.messages.map((m) => m.content)).toContain("while you were away");
    // the address still maps to the dead process in the hash: nginx sent it on to the live one
    expect(await upstreamPort(aliceAddress)).toBe(Number(new URL(cluster.servers[1]!.url).port));
    const ack = await alice.emitWithAck("message:send", { content: "back again", clientId: randomUUID() });
    expect(ack).toMatchObject({ ok: true });
    expect(await bob.next((f) => f.type === "message" && f.content === "back again")).toMatchObject({
      username: "alice",
    });
  });
});
