// runBench: every scenario in turn (each against its own fresh server process and temp database, with its
// baseline measured in the same run), then the targets, the JSON and the SVG. bench/run.ts is the CLI.
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { closeIdle } from "./lib/http";
import { foreignCpu, machineInfo } from "./lib/machine";
import { installCleanup, killAll, pinSelf, setPinning } from "./lib/procs";
import { PROFILES, type ProfileName } from "./lib/profiles";
import { evaluateTargets, latencySvg, renderTable, type Target } from "./lib/report";
import {
  GENERATOR_CORE,
  setProfileLabel,
  setServerProfiling,
  setSharedServers,
  stopSharedServers,
} from "./lib/servers";
import { round } from "./lib/stats";
import { clusterScenario } from "./scenarios/cluster";
import { c100kScenario } from "./scenarios/c100k";
import { coldStartScenario } from "./scenarios/cold-start";
import { fanoutScenario } from "./scenarios/fanout";
import { historyScenario } from "./scenarios/history";
import { idleScenario } from "./scenarios/idle";
import { latencyScenario, type SweepPoint } from "./scenarios/latency";
import { latencyScaleScenario } from "./scenarios/latency-scale";
import { loginScenario } from "./scenarios/login";
import { persistScenario } from "./scenarios/persist";
import { searchScenario } from "./scenarios/search";
import { slowScenario } from "./scenarios/slow";

export const SCENARIOS = [
  "coldStart",
  "latency",
  "latencyScale",
  "c100k",
  "fanout",
  "persist",
  "idle",
  "history",
  "login",
  "slow",
  "search",
  "cluster",
] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface BenchOptions {
  profile: ProfileName;
  /** JSON destination; the SVG goes next to it */
  out: string;
  /** run only these scenarios */
  only?: ScenarioName[];
  /** write a V8 CPU profile of each scenario's Chatterbox server into this directory */
  cpuProfDir?: string;
  /** progress lines (default stderr) */
  log?: (line: string) => void;
}

export interface BenchResult {
  mode: ProfileName;
  startedAt: string;
  durationSeconds: number;
  machine: ReturnType<typeof machineInfo> & {
    loadAvgAtEnd: number[];
    /** average cores other processes (not the bench and its children) kept busy during the run */
    foreignCpuCores: number | null;
  };
  notes: string[];
  scenarios: Record<string, Record<string, unknown>>;
  targets: Target[];
  allTargetsMet: boolean;
  plot: string | null;
  errors: Record<string, string>;
}

export async function runBench(opts: BenchOptions): Promise<BenchResult> {
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const profile = PROFILES[opts.profile];
  installCleanup();
  // the smoke test runs beside other tests: no pinning there
  setPinning(profile.name !== "tiny");
  setSharedServers(profile.name === "tiny");
  if (opts.cpuProfDir) mkdirSync(opts.cpuProfDir, { recursive: true });
  setServerProfiling(opts.cpuProfDir);
  const machine = machineInfo();
  const othersCpu = foreignCpu();
  const pinnedSelf = pinSelf(GENERATOR_CORE);
  const startedAt = new Date();
  const t0 = performance.now();
  log(`chatterbox bench (${profile.name}) on ${machine.nproc} × ${machine.cpuModel}, node ${machine.node}`);
  log(pinnedSelf ? `pinning: ${machine.pinned}` : "pinning: off");

  const runners: Record<ScenarioName, () => Promise<Record<string, unknown>>> = {
    coldStart: () => coldStartScenario(profile, log),
    latency: () => latencyScenario(profile, log),
    latencyScale: () => latencyScaleScenario(profile, log),
    c100k: () => c100kScenario(profile, log),
    fanout: () => fanoutScenario(profile, log),
    persist: () => persistScenario(profile, log),
    idle: () => idleScenario(profile, log),
    history: () => historyScenario(profile, log),
    login: () => loginScenario(profile, log),
    slow: () => slowScenario(profile, log),
    search: () => searchScenario(profile, log),
    cluster: () => clusterScenario(profile, log),
  };
  const scenarios: Record<string, Record<string, unknown>> = {};
  const errors: Record<string, string> = {};
  for (const name of SCENARIOS) {
    if (opts.only && !opts.only.includes(name)) continue;
    log(`▶ ${name}`);
    setProfileLabel(name);
    const t = performance.now();
    try {
      scenarios[name] = { ...(await runners[name]()), scenarioSeconds: round((performance.now() - t) / 1000, 1) };
    } catch (err) {
      const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
      errors[name] = message;
      scenarios[name] = { error: message.split("\n")[0] };
      log(`  ✗ ${name} failed: ${message}`);
      // nothing of a failed scenario keeps running into the next
      await stopSharedServers();
      killAll();
    }
    closeIdle();
  }

  await stopSharedServers();
  const targets = evaluateTargets(scenarios);
  const notes = [
    `mode ${profile.name}${profile.scaledDown.length ? ": scaled down — " + profile.scaledDown.join("; ") : ""}`,
    "server under test: bench/server-entry.ts (services + createRealtime + route handlers on node:http, no Next), NODE_ENV=production",
    "latency/fanout/login clients speak socket.io's wire protocol directly over ws (bench/lib/clients.ts)",
  ];
  for (const [name, result] of Object.entries(scenarios)) {
    if (Array.isArray(result.notes)) for (const n of result.notes as string[]) notes.push(`${name}: ${n}`);
  }
  // children still running (none, normally) are not in our count: measured after every scenario stopped its own
  const foreignCores = othersCpu();
  if (foreignCores !== null && foreignCores >= 0.1) {
    notes.push(
      `shared machine: other processes kept ${foreignCores} of ${machine.nproc} cores busy on average during the run — numbers are noisy`,
    );
  }
  let plot: string | null = null;
  const sweep = scenarios.latency?.sweep as SweepPoint[] | undefined;
  mkdirSync(path.dirname(path.resolve(opts.out)), { recursive: true });
  if (sweep?.length) {
    const stem = path.basename(opts.out, ".json");
    plot = path.join(path.dirname(path.resolve(opts.out)), `${stem === "latest" ? "" : `${stem}-`}latency-vs-load.svg`);
    const l = scenarios.latency!;
    writeFileSync(
      plot,
      latencySvg(
        sweep,
        `Latency against load — ${String(l.clients)} clients in ${String(l.rooms)} rooms (${profile.name})`,
      ),
    );
  }
  const result: BenchResult = {
    mode: profile.name,
    startedAt: startedAt.toISOString(),
    durationSeconds: round((performance.now() - t0) / 1000, 1),
    machine: { ...machine, loadAvgAtEnd: os.loadavg().map((x) => round(x, 2)), foreignCpuCores: foreignCores },
    notes,
    scenarios,
    targets,
    allTargetsMet: targets.every((t) => t.met === true),
    plot,
    errors,
  };
  writeFileSync(opts.out, `${JSON.stringify(result, null, 2)}\n`);
  return result;
}

export { renderTable };
