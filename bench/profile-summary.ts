// tsx bench/profile-summary.ts DIR|FILE… [--top N]: where a server's CPU went, from the V8 CPU profiles that
// `npm run bench -- --cpu-prof DIR` writes — self time by function and by package (node_modules/<pkg>, node
// internals, the app's own files, GC, idle).
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

function packageOf(url: string, fn: string): string {
  if (fn === "(garbage collector)") return "(gc)";
  if (fn === "(idle)") return "(idle)";
  if (fn === "(program)") return "(program)";
  const nm = url.lastIndexOf("node_modules/");
  if (nm >= 0) {
    const rest = url.slice(nm + "node_modules/".length).split("/");
    return rest[0]!.startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.startsWith("node:") || url === "") return "(node internals)";
  const m = /\/(lib|app|bench)\/(.+)$/.exec(url);
  return m ? `app: ${m[1]}/${m[2]!.split("/")[0]}` : url;
}

function summarise(file: string, top: number): void {
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const label = path.relative(process.cwd(), file);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = profile.endTime - profile.startTime;
  const fns = new Map<string, number>();
  const pkgs = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const { callFrame: cf } = byId.get(id)!;
    const where = cf.url ? `${path.basename(cf.url)}:${cf.lineNumber + 1}` : "";
    const key = `${cf.functionName || "(anonymous)"} ${where}`.trim();
    fns.set(key, (fns.get(key) ?? 0) + us);
    const pkg = packageOf(cf.url, cf.functionName);
    pkgs.set(pkg, (pkgs.get(pkg) ?? 0) + us);
  }
  const pct = (us: number) => `${((100 * us) / total).toFixed(1).padStart(5)}%`;
  const show = (m: Map<string, number>, n: number) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .forEach(([k, us]) => process.stdout.write(`  ${pct(us)}  ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}\n`));
  process.stdout.write(`\n${label} — ${(total / 1e6).toFixed(1)} s\n by package:\n`);
  show(pkgs, 15);
  process.stdout.write(` by function (self time):\n`);
  show(fns, top);
}

const args = process.argv.slice(2);
const topIdx = args.indexOf("--top");
const top = topIdx >= 0 ? Number(args.splice(topIdx, 2)[1]) : 25;
function profilesUnder(p: string): string[] {
  if (!statSync(p).isDirectory()) return [p];
  return readdirSync(p)
    .sort()
    .flatMap((f) =>
      f.endsWith(".cpuprofile") || statSync(path.join(p, f)).isDirectory() ? profilesUnder(path.join(p, f)) : [],
    );
}

// a server writes one profile per thread; tsx's module-loader thread is nearly all idle and is skipped
for (const arg of args) {
  for (const f of profilesUnder(arg)) {
    const profile = JSON.parse(readFileSync(f, "utf8")) as CpuProfile;
    const busy = profile.nodes.some(
      (n) => /\/(lib|app)\//.test(n.callFrame.url) && !n.callFrame.url.includes("node_modules"),
    );
    if (busy) summarise(f, top);
  }
}
