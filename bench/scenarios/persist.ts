// persist: durable, acked messages per second from many concurrent senders (each waits for its ack before
// sending the next, as a client does; every sender in its own room, so the broadcast is one delivery),
// against raw better-sqlite3 single-row INSERTs with the same durability (WAL + synchronous=FULL) on the
// same core. The two alternate in short rounds (ours, raw, ours, raw, …) so that a disk or CPU neighbour
// that comes and goes hits both alike; the totals over all rounds give the ratio. Each send round is
// followed by a mixed round (issue 11): the same senders, 80 % new messages and 10 % edits and 10 % reaction
// changes of their room's messages, each acked after its commit, against the same raw baseline.
import { randomUUID } from "node:crypto";
import path from "node:path";
import { ChangeMix, DEFAULT_SHARES, type OpKind } from "../lib/change-mix";
import { mapLimit, type LoadClient } from "../lib/clients";
import { makeTempDir, removeTempDir } from "../lib/procs";
import type { Profile } from "../lib/profiles";
import { countMessages, maxSeq } from "../lib/seed";
import { startChatterbox, startRawInserter } from "../lib/servers";
import { median, percentiles, round, Samples, sleep } from "../lib/stats";
import { chatterboxLayout } from "../lib/topology";

type Room = { name: string; members: LoadClient[] };

function send(client: LoadClient, room: string): Promise<{ ok: boolean; id?: number }> {
  return new Promise((resolve) => client.sendChat(room, randomUUID(), (ok, id) => resolve({ ok, id })));
}

/** One operation of the mix from `client` in its room: a send (recorded as a target) or a change. */
async function mixedOp(mix: ChangeMix, kind: OpKind, room: string, client: LoadClient): Promise<OpKind | null> {
  const change = kind === "send" ? undefined : mix.take(kind, room, client);
  if (!change) {
    const { ok, id } = await send(client, room);
    if (ok && id !== undefined) mix.record(room, client, id);
    return ok ? "send" : null;
  }
  const ok = await new Promise<boolean>((resolve) => client.sendChange!(change, resolve));
  mix.release(change.id);
  return ok ? kind : null;
}

/** Every sender in a closed loop until the deadline; counts what was acked before it, by kind. */
async function closedLoop(rooms: Room[], seconds: number, op: (room: Room) => Promise<OpKind | null>) {
  const acked: Record<OpKind, number> = { send: 0, edit: 0, reaction: 0 };
  let failed = 0;
  const deadline = performance.now() + seconds * 1000;
  await mapLimit(rooms, rooms.length, async (room) => {
    for (let n = 0; n < 1_000_000 && performance.now() < deadline; n++) {
      const kind = await op(room);
      if (performance.now() > deadline) break;
      if (kind) acked[kind]++;
      else failed++;
    }
  });
  return { acked, failed };
}

export async function persistScenario(profile: Profile, log: (s: string) => void) {
  const p = profile.persist;
  const server = await startChatterbox();
  const rawDir = makeTempDir();
  let ours = { acked: 0, failed: 0, seconds: 0 };
  const mixed = { ops: 0, changes: 0, failed: 0, seconds: 0, seqBefore: 0, seqGained: 0 };
  let raw = { inserts: 0, seconds: 0 };
  const roundRatios: number[] = [];
  const mixedRoundRatios: number[] = [];
  const ackMs = new Samples();
  let rowsInDb: number;
  try {
    const inserter = await startRawInserter(path.join(rawDir, "raw.db"));
    // one room per sender: a layout of `senders` rooms with one member each
    const built = await chatterboxLayout(server, { rooms: p.senders, membersPerRoom: 1 }, "per");
    const rawRound = async () => {
      await sleep(50);
      const r = await inserter.run(p.roundSeconds);
      raw = { inserts: raw.inserts + r.inserts, seconds: raw.seconds + r.seconds };
      return r.perSec;
    };
    try {
      const mix = new ChangeMix();
      let opCount = 0;
      await mix.seed(built.rooms); // also the warm-up
      await inserter.run(Math.min(0.5, p.roundSeconds));
      const before = countMessages(server.databasePath);

      for (let r = 0; r < p.rounds; r++) {
        // ours: closed loop until the deadline; acks after it finish (uncounted) before the raw round starts
        const sends = await closedLoop(built.rooms, p.roundSeconds, async (room) => {
          const t = performance.now();
          const { ok } = await send(room.members[0]!, room.name);
          if (ok) ackMs.push(performance.now() - t);
          return ok ? "send" : null;
        });
        ours = {
          acked: ours.acked + sends.acked.send,
          failed: ours.failed + sends.failed,
          seconds: ours.seconds + p.roundSeconds,
        };
        roundRatios.push(sends.acked.send / p.roundSeconds / (await rawRound()));

        const seq0 = maxSeq(server.databasePath);
        // one sequence of kinds over all senders, so they do not all edit at once
        const m = await closedLoop(built.rooms, p.roundSeconds, (room) =>
          mixedOp(mix, mix.kindAt(opCount++), room.name, room.members[0]!),
        );
        await sleep(50); // acks after the deadline land (uncounted, but they took seqs)
        mixed.seqGained += maxSeq(server.databasePath) - seq0;
        const ops = m.acked.send + m.acked.edit + m.acked.reaction;
        mixed.ops += ops;
        mixed.changes += m.acked.edit + m.acked.reaction;
        mixed.failed += m.failed;
        mixed.seconds += p.roundSeconds;
        mixedRoundRatios.push(ops / p.roundSeconds / (await rawRound()));
      }
      rowsInDb = countMessages(server.databasePath) - before;
    } finally {
      built.close();
      await inserter.stop();
    }
  } finally {
    await server.stop();
    removeTempDir(rawDir);
  }
  const messagesPerSec = ours.acked / ours.seconds;
  const mixedPerSec = mixed.ops / mixed.seconds;
  const rawPerSec = raw.inserts / raw.seconds;
  log(
    `  chatterbox ${messagesPerSec.toFixed(0)} acked msgs/s, mixed ${mixedPerSec.toFixed(0)} acked ops/s (${(mixed.changes / mixed.seconds).toFixed(0)} changes/s) (${p.senders} senders), raw ${rawPerSec.toFixed(0)} commits/s; per round: ${roundRatios.map((x) => x.toFixed(2)).join(" ")}; mixed: ${mixedRoundRatios.map((x) => x.toFixed(2)).join(" ")}`,
  );
  const [p50, p99] = percentiles(ackMs.values(), [50, 99]);
  return {
    messagesPerSec: round(messagesPerSec, 1),
    rawSqliteSingleRowPerSec: round(rawPerSec, 1),
    ratio: round(messagesPerSec / rawPerSec, 3),
    senders: p.senders,
    rounds: p.rounds,
    roundSeconds: p.roundSeconds,
    roundRatios: roundRatios.map((x) => round(x, 3)),
    medianRoundRatio: round(median(roundRatios), 3),
    acked: ours.acked,
    failed: ours.failed,
    /** rows the database gained during the measurement (≥ acked + the mixed rounds' sends: every ack is a committed row) */
    rowsInDb,
    /** every acked message is a committed row (counted over a separate SQLite connection) */
    durable: rowsInDb >= ours.acked,
    ackP50Ms: round(p50!),
    ackP99Ms: round(p99!),
    /** the mixed rounds: sends, edits and reaction changes acked per second, and against the raw rounds */
    mix: { edits: DEFAULT_SHARES.edits, reactions: DEFAULT_SHARES.reactions },
    mixedOpsPerSec: round(mixedPerSec, 1),
    changesPerSec: round(mixed.changes / mixed.seconds, 1),
    mixedRatio: round(mixedPerSec / rawPerSec, 3),
    mixedRoundRatios: mixedRoundRatios.map((x) => round(x, 3)),
    mixedAcked: mixed.ops,
    mixedFailed: mixed.failed,
    /** every acked operation of the mix (each changes its message) took a seq in a committed row */
    mixedDurable: mixed.seqGained >= mixed.ops,
  };
}
