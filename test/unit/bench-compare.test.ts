// bench --compare: a figure that met its target in the earlier run and misses it now is flagged; the earlier
// run is judged by today's targets (so raising a target is not reported as a regression).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { compareRuns, readRun } from "@/bench/lib/compare";
import { evaluateTargets } from "@/bench/lib/report";

const run = (coldStartMs: number, searchP99Ms: number) => ({
  startedAt: "2026-12-06T10:00:00.000Z",
  scenarios: { coldStart: { ms: coldStartMs }, search: { p99Ms: searchP99Ms } },
});

describe("bench --compare", () => {
  it("flags a target met before and missed now, with both figures and the change", () => {
    const now = evaluateTargets(run(1500, 5).scenarios);
    const { lines, newlyMissed } = compareRuns(run(1000, 30), now);
    expect(newlyMissed.map((t) => `${t.scenario}.${t.metric}`)).toEqual(["coldStart.ms"]);
    expect(lines).toContain("  coldStart.ms (≤ 1200 ms): 1000 → 1500 (+50 %)  NEWLY MISSED");
    // better than before: no flag
    expect(lines).toContain("  search.p99Ms (≤ 20 ms): 30 → 5 (-83 %)");
  });

  it("judges the earlier run by today's targets: missed then and now is not newly missed", () => {
    // 1,400 ms met the old 1,500 ms target but misses today's 1,200 ms
    const { lines, newlyMissed } = compareRuns(run(1400, 5), evaluateTargets(run(1450, 5).scenarios));
    expect(newlyMissed).toEqual([]);
    expect(lines).toContain("  coldStart.ms (≤ 1200 ms): 1400 → 1450 (+4 %)  missed");
  });

  it("reads a results file, and refuses one that is not a bench result", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "bench-compare-"));
    try {
      const good = path.join(dir, "good.json");
      writeFileSync(good, JSON.stringify(run(900, 4)));
      expect(readRun(good).scenarios.coldStart).toEqual({ ms: 900 });
      const bad = path.join(dir, "bad.json");
      writeFileSync(bad, JSON.stringify({ hello: 1 }));
      expect(() => readRun(bad)).toThrow(/not a bench result/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
