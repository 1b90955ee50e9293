// Web Push scaled out: the process that stores a message sends its pushes, once; "away" means no socket on
// any process; a subscription made on one process is seen by the others' cached subscriber sets at once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Message, PushPayload } from "@/lib/protocol";
import { startCluster, type TestCluster } from "../helpers/cluster";
import { socketPool } from "../helpers/cluster-clients";
import { until } from "../helpers/delivery";
import { browserKeys, decryptPush, startPushEndpoint, type PushEndpoint } from "../helpers/push-endpoint";
import { registerAndLogin } from "../helpers/remote";
import { ackedMessage, record, send } from "../helpers/socket-utils";
import type { TestSocket } from "../helpers/test-server";

let push: PushEndpoint;
let cluster: TestCluster;
const sockets = socketPool();
const open = sockets.open;

beforeAll(async () => {
  push = await startPushEndpoint();
  cluster = await startCluster(2, {
    env: { PUSH_ALLOWED_ORIGINS: push.origin },
    processEnv: { NODE_EXTRA_CA_CERTS: push.caFile },
  });
});
afterAll(async () => {
  sockets.closeAll();
  await cluster?.close();
  await push?.close();
});

const dm = async (from: TestSocket, to: string, content: string): Promise<Message> =>
  ackedMessage(await send(from, { to, content, clientId: crypto.randomUUID() }));

describe("Web Push across processes", () => {
  it("pushes once, from the storing process, to users with no socket anywhere", async () => {
    const [a, b] = cluster.servers.map((s) => s.url) as [string, string];
    const alice = await registerAndLogin(a, "alice");
    const bob = await registerAndLogin(b, "bob");
    const aliceA = await open(a, alice);
    const aliceB = await open(b, alice);
    const presence = record(aliceA, "presence");

    // A loads its (empty) set of subscribers; bob then subscribes through B
    await dm(aliceA, "bob", "before bob subscribed");
    const keys = browserKeys();
    const subscribed = await fetch(`${b}/api/push/subscriptions`, {
      method: "POST",
      headers: { authorization: `Bearer ${bob}`, "content-type": "application/json" },
      body: JSON.stringify({ endpoint: `${push.origin}/bob`, keys: keys.json, expirationTime: null }),
    });
    expect(subscribed.status).toBe(201);

    // bob has no socket anywhere: a DM stored on A is pushed (A saw the new subscriber)
    const first = await dm(aliceA, "bob", "first");
    const opened = (n: number) =>
      push.nth("/bob", n, 10_000).then((r) => JSON.parse(decryptPush(r.body, keys)) as PushPayload);
    expect(await opened(1)).toMatchObject({ id: first.id });

    // bob opens a socket on B: A learns it (alice's socket on A hears him come online); no push then
    const bobB = await open(b, bob);
    await until(
      () => presence.some((p) => p.username === "bob" && p.online),
      10_000,
      () => "A never saw bob online",
    );
    const unpushed = await dm(aliceA, "bob", "while bob is on B");
    bobB.disconnect();
    await until(
      () => presence.some((p) => p.username === "bob" && !p.online),
      10_000,
      () => "A never saw bob go offline",
    );
    const second = await dm(aliceA, "bob", "second");
    expect((await opened(2)).id).toBe(second.id);
    // barrier: a third, stored on B, pushed by B after anything B might have pushed for the others
    const third = await dm(aliceB, "bob", "third, from B");
    expect((await opened(3)).id).toBe(third.id);
    const ids = push.received
      .filter((r) => r.path === "/bob")
      .map((r) => (JSON.parse(decryptPush(r.body, keys)) as PushPayload).id);
    expect(ids).toEqual([first.id, second.id, third.id]); // each once; none while he had a socket
    expect(ids).not.toContain(unpushed.id);
  });
});
