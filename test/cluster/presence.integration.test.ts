// Presence across processes: a user is online while any process holds a socket of theirs; every process
// tells its sockets the same story and lists the same people; the users of a process killed with SIGKILL
// (which fires no disconnect anywhere) go offline everywhere within a few seconds, and come back when they
// reconnect to a restarted process.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PresenceEvent, UserSummary } from "@/lib/protocol";
import { startCluster, type TestCluster } from "../helpers/cluster";
import { socketPool } from "../helpers/cluster-clients";
import { until } from "../helpers/delivery";
import { registerAndLogin } from "../helpers/remote";
import { record } from "../helpers/socket-utils";

let cluster: TestCluster;
const sockets = socketPool();
const open = sockets.open;

beforeAll(async () => {
  cluster = await startCluster(2);
});
afterAll(async () => {
  sockets.closeAll();
  await cluster?.close();
});

async function people(url: string, token: string): Promise<Map<string, UserSummary>> {
  const res = await fetch(`${url}/api/users`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  const { users } = (await res.json()) as { users: UserSummary[] };
  return new Map(users.map((u) => [u.username, u]));
}

/** waits until `log` holds `username`'s presence as `online` (the latest event about them) */
const presenceOf = (log: PresenceEvent[], username: string) => log.filter((e) => e.username === username).at(-1);
const becomes = (log: PresenceEvent[], username: string, online: boolean, ms = 15_000) =>
  until(
    () => presenceOf(log, username)?.online === online,
    ms,
    () => `${username} never became ${online ? "online" : "offline"}: ${JSON.stringify(log)}`,
  );

describe("presence across processes", () => {
  it("follows sockets on any process, and heals after a SIGKILL", async () => {
    const [a, b] = cluster.servers.map((s) => s.url) as [string, string];
    const [alice, bob, carol] = await Promise.all(["alice", "bob", "carol"].map((u) => registerAndLogin(a, u)));
    const aliceA = await open(a, alice!);
    const watcherB = await open(b, alice!); // the same story told on the other process
    const onA = record(aliceA, "presence");
    const onB = record(watcherB, "presence");

    // bob and carol on B: online on both processes, in their events and their people lists
    const bobB = await open(b, bob!);
    const carolFirst = await open(b, carol!);
    for (const log of [onA, onB]) {
      await becomes(log, "bob", true);
      await becomes(log, "carol", true);
    }
    for (const url of [a, b]) {
      const list = await people(url, alice!);
      expect(list.get("bob")).toMatchObject({ online: true, lastSeen: null });
      expect(list.get("carol")).toMatchObject({ online: true, lastSeen: null });
    }

    // a second socket of bob's on A, then his socket on B closes: still online (A holds one)
    const bobA = await open(a, bob!);
    bobB.disconnect();
    // barrier: carol's socket closing after bob's: once she is offline everywhere, bob's close was seen
    carolFirst.disconnect();
    for (const log of [onA, onB]) await becomes(log, "carol", false);
    expect(onA.filter((e) => e.username === "bob")).toEqual([{ username: "bob", online: true }]);
    expect(onB.filter((e) => e.username === "bob")).toEqual([{ username: "bob", online: true }]);
    bobA.disconnect();
    for (const log of [onA, onB]) await becomes(log, "bob", false);
    expect((await people(b, alice!)).get("bob")).toMatchObject({ online: false });

    // carol connects to B again, and B is killed: no disconnect fires anywhere, yet A sees her go
    const carolB = await open(b, carol!);
    await becomes(onA, "carol", true);
    await cluster.kill(1);
    carolB.disconnect();
    await becomes(onA, "carol", false);
    const list = await people(a, alice!);
    expect(list.get("carol")?.online).toBe(false);
    expect(list.get("alice")?.online).toBe(true); // her socket on A is untouched

    // B restarts; carol reconnects there and is online again on A
    const b2 = (await cluster.restart(1)).url;
    await open(b2, carol!);
    await becomes(onA, "carol", true);
    expect((await people(b2, alice!)).get("alice")?.online).toBe(true); // the new B sees A's users

    // SIGTERM closes a process of the cluster cleanly (its Redis connections too)
    await cluster.kill(1, "SIGTERM");
    expect(cluster.servers[1]!.child.exitCode).toBe(0);
  });
});
