// cold start: spawn → first 200 from GET /api/health, over a fresh database (so including migrations), for
// the bench's server entry and for the real production entry (`node dist/server.js` with
// NODE_ENV=production — what `npm start` runs after its build check) when npm start's builds exist.
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { freePort, makeTempDir, REPO_ROOT, removeTempDir, spawnNode } from "../lib/procs";
import type { Profile } from "../lib/profiles";
import {
  chatterboxEnv,
  chatterboxNodeFlags,
  hasProductionBuild,
  REAL_SERVER_ARGS,
  SERVER_CORE,
  SERVER_ENTRY_ARGS,
} from "../lib/servers";
import { median, round, sleep } from "../lib/stats";

async function timeToHealthy(args: string[], timeoutMs: number): Promise<number> {
  const dir = makeTempDir();
  const port = await freePort();
  const t0 = performance.now();
  const child = spawnNode([...chatterboxNodeFlags(), ...args], {
    core: SERVER_CORE,
    env: chatterboxEnv(path.join(dir, "bench.db"), port),
  });
  try {
    const deadline = t0 + timeoutMs;
    for (let i = 0; i < 100_000 && performance.now() < deadline; i++) {
      if (child.exited) throw new Error(`server exited before healthy:\n${child.output()}`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}/api/health`, { signal: AbortSignal.timeout(2000) });
        if (res.status === 200) return performance.now() - t0;
      } catch {
        // not listening yet
      }
      await sleep(10);
    }
    throw new Error(`not healthy within ${timeoutMs} ms:\n${child.output()}`);
  } finally {
    await child.stop();
    removeTempDir(dir);
  }
}

export async function coldStartScenario(profile: Profile, log: (s: string) => void) {
  const p = profile.coldStart;
  const entry: number[] = [];
  for (let i = 0; i < p.runs; i++) entry.push(await timeToHealthy(SERVER_ENTRY_ARGS, 60_000));
  log(`  bench entry: ${entry.map((ms) => ms.toFixed(0)).join(", ")} ms`);

  const buildIdFile = path.join(REPO_ROOT, ".next", "BUILD_ID");
  const buildExisted = hasProductionBuild();
  const real: number[] = [];
  if (buildExisted) {
    for (let i = 0; i < p.realServerRuns; i++) real.push(await timeToHealthy(REAL_SERVER_ARGS, 60_000));
    if (real.length)
      log(`  dist/server.js (production, existing build): ${real.map((ms) => ms.toFixed(0)).join(", ")} ms`);
  } else log("  no build (.next/BUILD_ID, dist/server.js: npm start or npm run build makes them): not measured");

  const realMs = real.length ? median(real) : undefined;
  return {
    /** the real production entry when it was measured, else the bench entry */
    ms: round(realMs ?? median(entry), 1),
    measured: realMs !== undefined ? "dist/server.js (NODE_ENV=production, existing build)" : "bench/server-entry.ts",
    benchEntryMs: round(median(entry), 1),
    benchEntryRuns: entry.map((ms) => round(ms, 1)),
    realServerMs: realMs === undefined ? null : round(realMs, 1),
    realServerRuns: real.map((ms) => round(ms, 1)),
    buildExisted,
    buildId: buildExisted ? readFileSync(buildIdFile, "utf8").trim() : null,
    buildTime: buildExisted ? statSync(buildIdFile).mtime.toISOString() : null,
    note: "npm start's prestart (scripts/ensure-build.ts) is not run: it would rebuild if sources changed",
  };
}
