// persist: durable, acked messages per second from many concurrent senders (each waits for its ack before
// sending the next, as a client does; every sender in its own room, so the broadcast is one delivery),
// against raw better-sqlite3 single-row INSERTs with the same durability (WAL + synchronous=FULL) on the
// same core. The two alternate in short rounds (ours, raw, ours, raw, …) so that a disk or CPU neighbour
// that comes and goes hits both alike; the totals over all rounds give the ratio.
import { randomUUID } from "node:crypto";
import path from "node:path";
import { mapLimit, type LoadClient } from "../lib/clients";
import { makeTempDir, removeTempDir } from "../lib/procs";
import type { Profile } from "../lib/profiles";
import { countMessages } from "../lib/seed";
import { startChatterbox, startRawInserter } from "../lib/servers";
import { median, percentiles, round, Samples, sleep } from "../lib/stats";
import { chatterboxLayout } from "../lib/topology";

function send(client: LoadClient, room: string): Promise<boolean> {
  return new Promise((resolve) => client.sendChat(room, randomUUID(), resolve));
}

export async function persistScenario(profile: Profile, log: (s: string) => void) {
  const p = profile.persist;
  const server = await startChatterbox();
  const rawDir = makeTempDir();
  let ours = { acked: 0, failed: 0, seconds: 0 };
  let raw = { inserts: 0, seconds: 0 };
  const roundRatios: number[] = [];
  const ackMs = new Samples();
  let rowsInDb: number;
  try {
    const inserter = await startRawInserter(path.join(rawDir, "raw.db"));
    // one room per sender: a layout of `senders` rooms with one member each
    const built = await chatterboxLayout(server, { rooms: p.senders, membersPerRoom: 1 }, "per");
    try {
      await mapLimit(built.rooms, p.senders, (room) => send(room.members[0]!, room.name)); // warm-up
      await inserter.run(Math.min(0.5, p.roundSeconds));
      const before = countMessages(server.databasePath);

      for (let r = 0; r < p.rounds; r++) {
        // ours: closed loop until the deadline; acks after it finish (uncounted) before the raw round starts
        let acked = 0;
        const start = performance.now();
        const deadline = start + p.roundSeconds * 1000;
        await mapLimit(built.rooms, p.senders, async (room) => {
          for (let i = 0; i < 1_000_000 && performance.now() < deadline; i++) {
            const t = performance.now();
            const ok = await send(room.members[0]!, room.name);
            if (performance.now() > deadline) break;
            if (ok) {
              acked++;
              ackMs.push(performance.now() - t);
            } else ours.failed++;
          }
        });
        const seconds = p.roundSeconds;
        ours = { ...ours, acked: ours.acked + acked, seconds: ours.seconds + seconds };
        await sleep(50);
        const rawRound = await inserter.run(p.roundSeconds);
        raw = { inserts: raw.inserts + rawRound.inserts, seconds: raw.seconds + rawRound.seconds };
        roundRatios.push(acked / seconds / rawRound.perSec);
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
  const rawPerSec = raw.inserts / raw.seconds;
  log(
    `  chatterbox ${messagesPerSec.toFixed(0)} acked msgs/s (${p.senders} senders), raw ${rawPerSec.toFixed(0)} commits/s; per round: ${roundRatios.map((x) => x.toFixed(2)).join(" ")}`,
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
    /** rows the database gained during the measurement (≥ acked: every ack is a committed row) */
    rowsInDb,
    /** every acked message is a committed row (counted over a separate SQLite connection) */
    durable: rowsInDb >= ours.acked,
    ackP50Ms: round(p50!),
    ackP99Ms: round(p99!),
  };
}
