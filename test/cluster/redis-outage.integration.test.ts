// Redis links the processes, and is not a single point of failure. The login throttle is one budget for
// every process. With Redis stopped, each process keeps accepting, storing and delivering messages to its
// own clients, logins still work (each throttle falls back to its in-memory insurance limiter), and a
// process can even start; when
// Redis comes back (empty, on the same port) the processes reconnect on their own and have their clients
// catch up, so everything sent meanwhile reaches everyone once, in order, and live fan-out works again.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LoginResponse, UserSummary } from "@/lib/protocol";
import { startCluster, type TestCluster } from "../helpers/cluster";
import { openSession, type RecordingSession } from "../helpers/cluster-clients";
import { idsOf, strictlyIncreasing, until } from "../helpers/delivery";
import { fetchPage, registerAndLogin } from "../helpers/remote";

let cluster: TestCluster;
const sessions: RecordingSession[] = [];

beforeAll(async () => {
  cluster = await startCluster(2, { env: { THROTTLE_LOGINS: "3", LOG_LEVEL: "warn" } });
});
afterAll(async () => {
  for (const s of sessions) s.session.close();
  await cluster?.close();
});

const login = (url: string, username: string, password: string) =>
  fetch(`${url}/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password }),
  });

async function session(url: string, token: string): Promise<RecordingSession> {
  const s = await openSession(url, token);
  sessions.push(s);
  return s;
}

describe("Redis shared, stopped and restarted", () => {
  it("counts failed logins on every process against one budget", async () => {
    const [a, b] = cluster.servers.map((s) => s.url) as [string, string];
    await registerAndLogin(a, "mallory-target");
    for (const url of [a, b, a]) expect((await login(url, "mallory-target", "wrong password")).status).toBe(401);
    const fourth = await login(b, "mallory-target", "wrong password");
    expect(fourth.status).toBe(429);
    expect(Number(fourth.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("keeps sending during the outage and catches everyone up after it", async () => {
    const [a, b] = cluster.servers.map((s) => s.url) as [string, string];
    const alice = await session(a, await registerAndLogin(a, "alice"));
    const bob = await session(b, await registerAndLogin(b, "bob"));
    const carol = await session(a, await registerAndLogin(a, "carol")); // on alice's process

    const before = await alice.session.send("before the outage");
    await until(
      () => bob.shown.some((m) => m.id === before.id),
      10_000,
      () => "bob never got the message sent before the outage",
    );

    await cluster.redis.stop();
    // each process stores and acks; its own clients get the message at once
    const fromA = await alice.session.send("during the outage, on A");
    const fromB = await bob.session.send("during the outage, on B");
    await until(
      () => carol.shown.some((m) => m.id === fromA.id),
      10_000,
      () => "carol (same process) never got alice's message",
    );
    // a login still works (the throttle falls back to memory instead of failing the request)
    const res = await login(b, "alice", "correct horse battery");
    expect(res.status).toBe(200);
    // and reading does: REST pages on either process have both messages (they come from the database)
    const reader = ((await res.json()) as LoginResponse).token;
    for (const url of [a, b]) {
      const page = await fetchPage(url, reader, { limit: 10 });
      expect(page.map((m) => m.id)).toEqual(expect.arrayContaining([fromA.id, fromB.id]));
    }
    // a process started while Redis is down starts, and serves
    const third = await cluster.add();
    const erin = await session(third.url, await registerAndLogin(third.url, "erin"));
    const fromC = await erin.session.send("during the outage, on a new process");

    await cluster.redis.restart();
    // the processes reconnect and their clients catch up: each message reaches everyone
    for (const client of [alice, bob, carol, erin]) {
      await until(
        () => [fromA, fromB, fromC].every((m) => client.shown.some((s) => s.id === m.id)),
        20_000,
        () => `missing after the outage: ${JSON.stringify(client.shownWith("during").map((m) => m.id))}`,
      );
    }
    // the outage and the recovery were logged, once each way, by every process (the one started during it too)
    for (const server of cluster.servers) {
      const log = server.stdoutLines().join("\n");
      expect(log.match(/cross-process fan-out, shared throttles and presence degraded/g)).toHaveLength(1);
      expect(log.match(/Redis is back/g)).toHaveLength(1);
    }
    // and live fan-out across processes works again
    const after = await bob.session.send("after the outage, on B");
    for (const client of [alice, carol, erin]) {
      await until(
        () => client.shown.some((m) => m.id === after.id),
        10_000,
        () => "the message after the outage did not cross",
      );
    }
    for (const client of [alice, bob, carol, erin]) {
      const ids = idsOf(client.shown);
      expect(new Set(ids).size).toBe(ids.length); // each once
      expect(strictlyIncreasing(ids)).toBe(true); // in one order
    }

    // B announced its users again into the empty Redis: a process started now sees bob online there
    const fresh = await cluster.restart(0);
    const token = await registerAndLogin(fresh.url, "dave");
    const bobOnline = async () => {
      const res = await fetch(`${fresh.url}/api/users`, { headers: { authorization: `Bearer ${token}` } });
      const { users } = (await res.json()) as { users: UserSummary[] };
      return users.find((u) => u.username === "bob")?.online === true;
    };
    const deadline = Date.now() + 10_000;
    while (!(await bobOnline())) {
      if (Date.now() > deadline) throw new Error("the new process never saw bob online");
      await new Promise((r) => setTimeout(r, 100));
    }

    // SIGTERM while Redis is down still closes a process cleanly
    await cluster.redis.stop();
    await cluster.kill(1, "SIGTERM");
    expect(cluster.servers[1]!.child.exitCode).toBe(0);
  }, 90_000);
});
