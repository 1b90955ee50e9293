// A process killed with SIGKILL mid-stream loses nothing: its clients reconnect to the other process
// (through a TCP forwarder, as a load balancer would send them) and their outbox retries what was in
// flight; every message is stored once, and every client — on the survivor too — shows each once, in one
// order. Then both processes are killed and restarted, and two clients on different processes still
// exchange messages sent at the same time, each shown once, in id order.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Message } from "@/lib/protocol";
import { startCluster, type TestCluster } from "../helpers/cluster";
import { openSession, type RecordingSession } from "../helpers/cluster-clients";
import { idsOf, strictlyIncreasing, until } from "../helpers/delivery";
import { fetchAllAfter, registerAndLogin } from "../helpers/remote";
import { startTcpProxy, type TcpProxy } from "../helpers/tcp-proxy";

const TOTAL = 300;
const KILL_AFTER = 100;

let cluster: TestCluster;
const proxies: TcpProxy[] = [];
const sessions: RecordingSession[] = [];

beforeAll(async () => {
  cluster = await startCluster(2);
});
afterAll(async () => {
  for (const s of sessions) s.session.close();
  await Promise.all(proxies.map((p) => p.close()));
  await cluster?.close();
});

async function proxied(url: string): Promise<TcpProxy> {
  const proxy = await startTcpProxy(url);
  proxies.push(proxy);
  return proxy;
}

async function session(url: string, token: string): Promise<RecordingSession> {
  const s = await openSession(url, token);
  sessions.push(s);
  return s;
}

const contentsOf = (messages: readonly Message[]) => messages.map((m) => m.content);

describe("SIGKILL of a process mid-stream, then of both", () => {
  it("stores every message once and shows each once, in one order, on every process", async () => {
    const [a, b] = cluster.servers.map((s) => s.url) as [string, string];
    const toA = await proxied(a);
    const toB = await proxied(b);
    const alice = await registerAndLogin(a, "alice");
    const bob = await registerAndLogin(b, "bob");
    const sender = await session(toA.url, alice);
    const watcher = await session(toB.url, bob);

    let acked = 0;
    const contents = Array.from({ length: TOTAL }, (_, i) => `stream ${i}`);
    const sends = contents.map((c) => sender.session.send(c).then((m) => (acked++, m)));
    await until(
      () => acked >= KILL_AFTER,
      30_000,
      () => `only ${acked} acked`,
    );
    await cluster.kill(0);
    const ackedAtKill = acked;
    toA.target(b); // the balancer sends A's clients to B

    const stored = await Promise.all(sends);
    await sender.session.settle();
    expect(ackedAtKill).toBeLessThan(TOTAL);
    expect(sender.retries()).toBeGreaterThan(0);

    const rows = (await fetchAllAfter(b, bob)).filter((m) => m.content.startsWith("stream "));
    expect(contentsOf(rows)).toEqual(contents); // each stored once, in the order sent
    expect(idsOf(stored)).toEqual(idsOf(rows));
    for (const client of [sender, watcher]) {
      await until(
        () => client.shownWith("stream ").length >= TOTAL,
        20_000,
        () => `shown ${client.shownWith("stream ").length}/${TOTAL}`,
      );
      expect(idsOf(client.shownWith("stream "))).toEqual(idsOf(rows)); // each once, in one order
    }

    // both processes die; both come back (on new ports, behind the same forwarders)
    await Promise.all([cluster.kill(0), cluster.kill(1)]);
    const [a2, b2] = await Promise.all([cluster.restart(0), cluster.restart(1)]);
    toA.target(a2.url);
    toB.target(b2.url);

    // the two clients, now on different processes, send at the same time into one room
    const ROUND = 60;
    const mine = (who: string) => Array.from({ length: ROUND }, (_, i) => `${who} after restart ${i}`);
    const both = await Promise.all([
      Promise.all(mine("alice").map((c) => sender.session.send(c))),
      Promise.all(mine("bob").map((c) => watcher.session.send(c))),
    ]);
    const sentIds = idsOf(both.flat()).sort((x, y) => x - y);
    for (const client of [sender, watcher]) {
      await until(
        () => client.shownWith("alice after").length + client.shownWith("bob after").length >= 2 * ROUND,
        20_000,
        () => `shown ${client.shownWith("alice after").length} + ${client.shownWith("bob after").length}`,
      );
      const round = client.shown.filter((m) => / after restart /.test(m.content));
      expect(idsOf(round)).toEqual(sentIds); // each once, in id order: one order per room
      expect(strictlyIncreasing(idsOf(client.shown))).toBe(true);
    }
  }, 120_000);
});
