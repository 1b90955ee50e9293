// Delivery guarantees, mass reconnect: 300 socket.io clients are connected when the server process is
// killed (SIGKILL) and restarted on the same database; all 300 reconnect (to the new URL) with their
// lastMessageId and each ends up with exactly the messages it had not seen — those sent after the crash
// (before, during and after the reconnect storm), plus, for a third of them that went offline a little
// earlier, the last few from before it — with no loss and no duplicates.
import { rmSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import type { Message } from "@/lib/protocol";
import { mergeMessages } from "@/lib/web/timeline";
import { duplicateIds, idsOf, openLogged, strictlyIncreasing, until, type ReceiveLog } from "../helpers/delivery";
import { registerAndLogin } from "../helpers/remote";
import { makeServerDir, spawnServer, type ServerProcess } from "../helpers/server-process";
import { ackedMessage, send } from "../helpers/socket-utils";

const CLIENTS = 300;
const BATCH = 50;
const USERS = 10;

const dir = makeServerDir("chatterbox-mass-");
const processes: ServerProcess[] = [];
const logs: ReceiveLog[] = [];

afterAll(async () => {
  for (const log of logs) log.socket.disconnect();
  await Promise.all(processes.map((p) => p.kill("SIGKILL")));
  rmSync(dir, { recursive: true, force: true });
});

async function start(): Promise<ServerProcess> {
  const p = await spawnServer({ dir });
  processes.push(p);
  return p;
}

async function openTracked(url: string, auth: { token: string; lastMessageId?: number }): Promise<ReceiveLog> {
  const log = await openLogged(url, auth, 20_000);
  logs.push(log);
  return log;
}

/** What the web client shows for one connection: history and live events merged by id, in arrival order. */
function mergedView(log: ReceiveLog): Message[] {
  let view: Message[] = [];
  for (const m of log.wire) view = mergeMessages(view, [m]);
  return view;
}
const lastSeen = (log: ReceiveLog) => mergedView(log).at(-1)?.id ?? 0;

async function sendMany(log: ReceiveLog, n: number, prefix: string): Promise<Message[]> {
  const acks = await Promise.all(
    Array.from({ length: n }, (_, i) => send(log.socket, { content: `${prefix} ${i}`, clientId: crypto.randomUUID() })),
  );
  return acks.map(ackedMessage).sort((a, b) => a.id - b.id);
}

/** Runs `fn` over `items` in sequential batches of `size` (kind to a 2-core machine). */
async function inBatches<T, R>(
  items: readonly T[],
  size: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) {
    out.push(...(await Promise.all(items.slice(i, i + size).map((item, j) => fn(item, i + j)))));
  }
  return out;
}

describe("300 clients and a crash", () => {
  it("all reconnect to the restarted server and each gets exactly what it missed", async () => {
    const first = await start();
    const senderToken = await registerAndLogin(first.url, "sender");
    const tokens = await Promise.all(
      Array.from({ length: USERS }, (_, u) => registerAndLogin(first.url, `crowd_${u}`)),
    );
    const sender = await openTracked(first.url, { token: senderToken });
    const early = await sendMany(sender, 10, "before the crash");

    const clients = await inBatches(Array.from({ length: CLIENTS }), BATCH, (_, i) =>
      openTracked(first.url, { token: tokens[i % USERS]! }),
    );
    for (const c of clients) expect(c.histories[0]!.messages).toEqual(early);

    // a third go offline now; the rest see 5 more messages before the crash
    const lagging = clients.filter((_, i) => i % 3 === 0);
    for (const c of lagging) c.socket.disconnect();
    const late = await sendMany(sender, 5, "just before the crash");
    const online = clients.filter((_, i) => i % 3 !== 0);
    await until(
      () => online.every((c) => lastSeen(c) === late.at(-1)!.id),
      10_000,
      () => `${online.filter((c) => lastSeen(c) !== late.at(-1)!.id).length} clients lack the pre-crash messages`,
    );
    const lastIdOf = clients.map(lastSeen);

    // ---- kill -9, restart on the same database (new port) ----------------------------------------------
    await first.kill("SIGKILL");
    await until(
      () => online.every((c) => !c.socket.connected),
      10_000,
      () => `${online.filter((c) => c.socket.connected).length} sockets still connected after the kill`,
    );
    const second = await start();
    const sender2 = await openTracked(second.url, { token: senderToken });
    const afterCrash = await sendMany(sender2, 20, "after the crash, before the reconnects");

    // ---- the reconnect storm, with messages still being sent during it ----------------------------------
    const during: Message[] = [];
    let storming = true;
    const duringSender = (async () => {
      while (storming || during.length < 10) {
        during.push(
          ackedMessage(
            await send(sender2.socket, { content: `during ${during.length}`, clientId: crypto.randomUUID() }),
          ),
        );
        await new Promise((r) => setTimeout(r, 15));
      }
    })();
    const t0 = Date.now();
    const reconnected = await inBatches(clients, BATCH, (_, i) =>
      openTracked(second.url, { token: tokens[i % USERS]!, lastMessageId: lastIdOf[i]! }),
    ).finally(() => {
      storming = false;
    });
    await duringSender;
    const stormMs = Date.now() - t0;
    const after = await sendMany(sender2, 10, "after everyone is back");

    const postCrash = [...afterCrash, ...during, ...after];
    expect(strictlyIncreasing(idsOf(postCrash))).toBe(true);
    const finalId = postCrash.at(-1)!.id;
    await until(
      () => reconnected.every((c) => lastSeen(c) === finalId),
      15_000,
      () => `${reconnected.filter((c) => lastSeen(c) !== finalId).length} clients have not caught up`,
    );

    // ---- each client: exactly what it missed, no loss, no duplicates ------------------------------------
    const problems: string[] = [];
    reconnected.forEach((c, i) => {
      const expected = i % 3 === 0 ? [...late, ...postCrash] : postCrash;
      const view = mergedView(c);
      if (JSON.stringify(idsOf(view)) !== JSON.stringify(idsOf(expected))) {
        problems.push(`client ${i} (lastMessageId ${lastIdOf[i]}): view ${JSON.stringify(idsOf(view))}`);
        return;
      }
      const history = c.histories.flatMap((h) => h.messages);
      // the gap fill is the missed messages in order, each once, starting right after lastMessageId
      if (c.histories.length !== 1 || c.histories[0]!.truncated)
        problems.push(`client ${i}: ${c.histories.length} histories`);
      if (!strictlyIncreasing(idsOf(history))) problems.push(`client ${i}: history out of order`);
      if (JSON.stringify(history) !== JSON.stringify(expected.slice(0, history.length)))
        problems.push(`client ${i}: history is not a prefix of the missed messages`);
      // everything sent before the reconnect started is in the gap fill
      const sentBefore = i % 3 === 0 ? late.length + afterCrash.length : afterCrash.length;
      if (history.length < sentBefore) problems.push(`client ${i}: history has ${history.length} < ${sentBefore}`);
      // live events: in order, each once, and never older than the gap fill's start
      if (!strictlyIncreasing(idsOf(c.live))) problems.push(`client ${i}: live events out of order or repeated`);
      if (duplicateIds(idsOf(c.wire)).some((id) => !idsOf(during).includes(id)))
        problems.push(`client ${i}: a message outside the reconnect window arrived twice`);
    });
    expect(problems.slice(0, 10)).toEqual([]);
    expect(reconnected).toHaveLength(CLIENTS);
    console.info(
      `mass reconnect: ${CLIENTS} clients back in ${stormMs} ms; ${during.length} messages sent during the storm; ` +
        `${reconnected.filter((c) => duplicateIds(idsOf(c.wire)).length > 0).length} clients got a storm message both in history and live`,
    );
  }, 90_000); // 300 clients and two server starts on a 2-core machine
});
