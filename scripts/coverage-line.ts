// One line of coverage after `npm test`'s Vitest run (coverage/coverage-summary.json, written by
// @vitest/coverage-v8's json-summary reporter): statements, branches, functions and lines in per cent.
import { readFileSync } from "node:fs";

interface Metric {
  total: number;
  covered: number;
  pct: number;
}
type Summary = Record<"statements" | "branches" | "functions" | "lines", Metric>;

const file = new URL("../coverage/coverage-summary.json", import.meta.url);
const { total } = JSON.parse(readFileSync(file, "utf8")) as { total: Summary };
const part = (name: keyof Summary) =>
  `${name} ${total[name].pct.toFixed(1)}% (${total[name].covered}/${total[name].total})`;
console.log(
  `Coverage (Vitest, in-process code): ${(["statements", "branches", "functions", "lines"] as const).map(part).join(", ")}`,
);
