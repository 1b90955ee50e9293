// --compare FILE: each target's figure of this run beside the same figure of an earlier run (the committed
// bench/results/latest.json, say), with the earlier run judged by today's targets, so a raised target is not
// mistaken for a regression. Lists every target this run misses that the earlier one met.
import { readFileSync } from "node:fs";
import { evaluateTargets, type Target } from "./report";

interface Comparison {
  lines: string[];
  /** targets met in the earlier run and missed in this one */
  newlyMissed: Target[];
}

const show = (x: number | null): string => (x === null ? "—" : String(x));

function change(before: number | null, after: number | null): string {
  if (before === null || after === null || before === 0) return "";
  const pct = ((after - before) / Math.abs(before)) * 100;
  return ` (${pct >= 0 ? "+" : ""}${pct.toFixed(0)} %)`;
}

export function compareRuns(
  earlier: { scenarios: Record<string, Record<string, unknown>>; startedAt?: string },
  now: Target[],
): Comparison {
  const before = evaluateTargets(earlier.scenarios);
  const lines = [`compared with the run of ${earlier.startedAt ?? "an unknown date"}:`];
  const newlyMissed: Target[] = [];
  for (const t of now) {
    const b = before.find((x) => x.scenario === t.scenario && x.metric === t.metric);
    const wasMet = b?.met ?? null;
    const flag = wasMet === true && t.met === false ? "  NEWLY MISSED" : t.met === false ? "  missed" : "";
    if (flag.includes("NEWLY")) newlyMissed.push(t);
    lines.push(
      `  ${t.scenario}.${t.metric} (${t.target}): ${show(b?.measured ?? null)} → ${show(t.measured)}${change(b?.measured ?? null, t.measured)}${flag}`,
    );
  }
  return { lines, newlyMissed };
}

export function readRun(file: string): { scenarios: Record<string, Record<string, unknown>>; startedAt?: string } {
  const parsed = JSON.parse(readFileSync(file, "utf8")) as { scenarios?: unknown; startedAt?: unknown };
  if (typeof parsed.scenarios !== "object" || parsed.scenarios === null) {
    throw new Error(`${file} is not a bench result (no "scenarios")`);
  }
  return {
    scenarios: parsed.scenarios as Record<string, Record<string, unknown>>,
    ...(typeof parsed.startedAt === "string" ? { startedAt: parsed.startedAt } : {}),
  };
}
