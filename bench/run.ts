// npm run bench [-- --quick | --tiny] [--out FILE] [--only a,b] [--cpu-prof DIR] [--compare FILE]
// Runs the benchmark (see docs/BENCHMARKS.md), prints the results table on stdout (progress on stderr) and
// writes the JSON to --out (default bench/results/latest.json) with the latency plot beside it.
// Exit code 1 when a scenario failed to run (a missed target is not a failure of the bench); with --compare,
// 3 when a target the earlier run met is missed now.
import path from "node:path";
import { renderTable, runBench, SCENARIOS, type ScenarioName } from "./harness";
import { compareRuns, readRun } from "./lib/compare";
import { BENCH_DIR, killAll } from "./lib/procs";
import type { ProfileName } from "./lib/profiles";

const USAGE = `usage: tsx bench/run.ts [--quick | --tiny] [--out FILE] [--only ${SCENARIOS.join(",")}] [--cpu-prof DIR]
  --quick      scaled down, under 5 minutes on 2 cores     --tiny   seconds, for the smoke test
  --out FILE   JSON results (default bench/results/latest.json); the latency SVG is written beside it
  --only LIST  run only these scenarios
  --cpu-prof DIR  V8 CPU profile of each scenario's Chatterbox server (summarise: tsx bench/profile-summary.ts DIR)
  --compare FILE  each target's figure against an earlier run's JSON (e.g. bench/results/latest.json, read
               before this run overwrites it); exit code 3 when a target it met is missed now`;

function parseArgs(argv: string[]) {
  let profile: ProfileName = "full";
  let out = path.join(BENCH_DIR, "results", "latest.json");
  let only: ScenarioName[] | undefined;
  let cpuProfDir: string | undefined;
  let compare: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--quick") profile = "quick";
    else if (a === "--tiny") profile = "tiny";
    else if (a === "--full") profile = "full";
    else if (a === "--out") out = path.resolve(argv[++i] ?? "");
    else if (a.startsWith("--out=")) out = path.resolve(a.slice(6));
    else if (a === "--only") only = (argv[++i] ?? "").split(",") as ScenarioName[];
    else if (a === "--cpu-prof") cpuProfDir = path.resolve(argv[++i] ?? "");
    else if (a === "--compare") compare = path.resolve(argv[++i] ?? "");
    else if (a === "--help" || a === "-h") {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else throw new Error(`unknown argument ${a}\n${USAGE}`);
  }
  for (const s of only ?? []) if (!SCENARIOS.includes(s)) throw new Error(`unknown scenario ${s}\n${USAGE}`);
  return { profile, out, only, compare, ...(cpuProfDir ? { cpuProfDir } : {}) };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  // read first: the run may overwrite the very file (the default --out is the committed latest.json)
  const earlier = args.compare ? readRun(args.compare) : undefined;
  // a hard stop for the whole run, whatever hangs
  const limitMin = args.profile === "full" ? 30 : args.profile === "quick" ? 10 : 3;
  setTimeout(() => {
    process.stderr.write(`bench exceeded ${limitMin} minutes: stopping\n`);
    killAll();
    process.exit(2);
  }, limitMin * 60_000).unref();

  const result = await runBench(args);
  process.stdout.write(
    `\nChatterbox bench — ${result.mode}, ${result.durationSeconds} s, ${result.machine.nproc} × ${result.machine.cpuModel}, node ${result.machine.node}\n`,
  );
  for (const note of result.notes) process.stdout.write(`  · ${note}\n`);
  process.stdout.write(`\n${renderTable(result.scenarios, result.targets)}\n\n`);
  process.stdout.write(`targets met: ${result.targets.filter((t) => t.met).length}/${result.targets.length}\n`);
  process.stdout.write(`JSON: ${args.out}${result.plot ? `\nplot: ${result.plot}` : ""}\n`);
  const comparison = earlier ? compareRuns(earlier, result.targets) : undefined;
  if (comparison) {
    process.stdout.write(`\n${comparison.lines.join("\n")}\n`);
    const missed = comparison.newlyMissed.map((t) => `${t.scenario}.${t.metric}`);
    process.stdout.write(missed.length ? `newly missed: ${missed.join(", ")}\n` : "no target newly missed\n");
  }
  killAll();
  process.exit(Object.keys(result.errors).length ? 1 : comparison?.newlyMissed.length ? 3 : 0);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  killAll();
  process.exit(1);
});
