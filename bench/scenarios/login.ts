// login: a background message load (socket.io rooms) measured alone, then during a login storm
// (`concurrency` clients POSTing /login back to back, every login a real bcrypt compare at cost 10), then
// alone again; logins/s and message p99 during the storm against the p99 of the two windows around it
// (pooled, so drift in the machine's noise over the run counts on both sides). Baseline for logins/s: bcrypt compares per second
// on the server's core (raw bcryptjs, one thread) — the ceiling for one process.
import bcrypt from "bcryptjs";
import { request } from "../lib/http";
import { runLoad } from "../lib/load";
import type { Profile } from "../lib/profiles";
import { seedUsers } from "../lib/seed";
import { runRawBaseline, startChatterbox } from "../lib/servers";
import { percentiles, round, Samples } from "../lib/stats";
import { chatterboxLayout } from "../lib/topology";

const PASSWORD = "bench-password-123";

export async function loginScenario(profile: Profile, log: (s: string) => void) {
  const p = profile.login;
  const server = await startChatterbox();
  let result;
  try {
    const passwordHash = bcrypt.hashSync(PASSWORD, 10);
    const users = seedUsers(server.databasePath, { prefix: "login", count: p.users, passwordHash });
    const built = await chatterboxLayout(server, { rooms: p.bgRooms, membersPerRoom: p.bgMembersPerRoom }, "bg");
    try {
      const load = { ratePerSec: p.bgRatePerSec, seconds: p.seconds, drainMs: 2000, acks: true };
      await runLoad(built.rooms, { ...load, seconds: Math.min(1, p.seconds) }); // warm-up
      // one login first, so the storm does not measure the worker thread's start
      const first = await request(`${server.url}/login`, {
        method: "POST",
        body: { username: "login0", password: PASSWORD },
      });
      if (first.status !== 200) throw new Error(`login failed: ${first.status} ${first.body}`);

      const calm = new Samples();
      const calmLoad = { ...load, seconds: p.seconds / 2, collect: calm };
      const before = await runLoad(built.rooms, calmLoad);

      // logins completed inside the window count; the ones still queued at its end finish uncounted
      let ok = 0;
      let failed = 0;
      let late = 0;
      const stormSeconds = p.seconds;
      const storm = async () => {
        const deadline = performance.now() + p.seconds * 1000;
        let next = 0;
        await Promise.all(
          Array.from({ length: p.concurrency }, async () => {
            for (let i = 0; i < 100_000 && performance.now() < deadline; i++) {
              const username = users[next++ % users.length]!.username;
              const res = await request(`${server.url}/login`, {
                method: "POST",
                body: { username, password: PASSWORD },
              });
              if (performance.now() > deadline) late++;
              else if (res.status === 200) ok++;
              else failed++;
            }
          }),
        );
      };
      const [during] = await Promise.all([runLoad(built.rooms, load), storm()]);
      const after = await runLoad(built.rooms, calmLoad);
      const [calmP50, calmP99] = percentiles(calm.values(), [50, 99]);
      const baseline = { p50Ms: calmP50!, p99Ms: calmP99!, beforeP99Ms: before.p99Ms, afterP99Ms: after.p99Ms };
      log(
        `  without storm: message p99 ${baseline.p99Ms.toFixed(2)} ms (before ${before.p99Ms.toFixed(2)}, after ${after.p99Ms.toFixed(2)})`,
      );
      log(
        `  during storm: ${ok} logins in ${stormSeconds.toFixed(2)} s (${failed} failed), message p99 ${during.p99Ms.toFixed(2)} ms`,
      );
      result = { baseline, during, ok, failed, late, stormSeconds };
    } finally {
      built.close();
    }
  } finally {
    await server.stop();
  }
  const raw = await runRawBaseline<{ perSec: number }>(["bcrypt", String(Math.max(1, p.seconds / 2)), "10"], 120_000);
  const loginsPerSec = result.ok / result.stormSeconds;
  return {
    loginsPerSec: round(loginsPerSec, 1),
    messageP99Ms: round(result.during.p99Ms),
    baselineP99Ms: round(result.baseline.p99Ms),
    p99Ratio: round(result.during.p99Ms / result.baseline.p99Ms, 2),
    messageP50Ms: round(result.during.p50Ms),
    baselineP50Ms: round(result.baseline.p50Ms),
    /** the two calm windows the baseline pools: before and after the storm */
    baselineBeforeP99Ms: round(result.baseline.beforeP99Ms),
    baselineAfterP99Ms: round(result.baseline.afterP99Ms),
    lostDuringStorm: result.during.lost,
    failedLogins: result.failed,
    /** logins still queued when the window closed (answered after it, not counted) */
    loginsAfterWindow: result.late,
    concurrency: p.concurrency,
    rawBcryptComparesPerSec: round(raw.perSec, 1),
    loginsVsRawBcrypt: round(loginsPerSec / raw.perSec, 2),
    backgroundLoad: `${p.bgRooms * p.bgMembersPerRoom} clients in ${p.bgRooms} rooms at ${p.bgRatePerSec} msg/s`,
  };
}
