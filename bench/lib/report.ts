// The targets (issue 6, raised by issue 17; issues 11, 13, 15 and 18 added theirs), the stdout table and the latency-against-load SVG.
import type { SweepPoint } from "../scenarios/latency";

export interface Target {
  scenario: string;
  metric: string;
  target: string;
  measured: number | null;
  met: boolean | null;
}

type Scenarios = Record<string, Record<string, unknown>>;

const num = (s: Scenarios, scenario: string, key: string): number | null => {
  const v = s[scenario]?.[key];
  return typeof v === "number" && Number.isFinite(v) ? v : null;
};

export function evaluateTargets(s: Scenarios): Target[] {
  const t = (
    scenario: string,
    metric: string,
    target: string,
    measured: number | null,
    ok: (x: number) => boolean,
  ) => ({
    scenario,
    metric,
    target,
    measured,
    met: measured === null ? null : ok(measured),
  });
  const latencyLost = num(s, "latency", "lost");
  const loginP99 = num(s, "login", "messageP99Ms");
  const loginBase = num(s, "login", "baselineP99Ms");
  return [
    // issue 17: the tail within 3 × the wire's (raw ws in the same run), the median within a millisecond
    t("latency", "p99RatioVsRawWs", "≤ 3 × raw ws p99", num(s, "latency", "p99RatioVsRawWs"), (x) => x <= 3),
    t("latency", "p50Ms", "≤ 1 ms", num(s, "latency", "p50Ms"), (x) => x <= 1),
    // pooled over new messages and changes (issue 11): neither may lose one
    t("latency", "lost", "0 (messages and changes)", latencyLost, (x) => x === 0),
    t("latencyScale", "p99Ms", "≤ 15 ms", num(s, "latencyScale", "p99Ms"), (x) => x <= 15),
    t("latencyScale", "lost", "0", num(s, "latencyScale", "lost"), (x) => x === 0),
    t("c100k", "rssBytes", "≤ 2.5 GB", num(s, "c100k", "rssBytes"), (x) => x <= 2.5 * 1024 ** 3),
    t("c100k", "p99Ms", "≤ 50 ms", num(s, "c100k", "p99Ms"), (x) => x <= 50),
    t("c100k", "allOpen", "every connection still open", num(s, "c100k", "allOpen"), (x) => x === 1),
    t("fanout", "ratio", "≥ 0.8 × raw ws", num(s, "fanout", "ratio"), (x) => x >= 0.8),
    t("persist", "ratio", "≥ 2 × raw SQLite", num(s, "persist", "ratio"), (x) => x >= 2),
    t("idle", "ratioVsRawWs", "≤ 2 × raw ws bytes", num(s, "idle", "ratioVsRawWs"), (x) => x <= 2),
    t("history", "p99Ms", "≤ 3 ms (socket.io)", num(s, "history", "p99Ms"), (x) => x <= 3),
    t("history", "restP99Ms", "≤ 5 ms (REST)", num(s, "history", "restP99Ms"), (x) => x <= 5),
    t(
      "login",
      "messageP99Ms / baselineP99Ms",
      "≤ 1.5",
      loginP99 !== null && loginBase !== null ? Math.round((loginP99 / loginBase) * 100) / 100 : null,
      (x) => x <= 1.5,
    ),
    t("coldStart", "ms", "≤ 1200 ms", num(s, "coldStart", "ms"), (x) => x <= 1200),
    t("slow", "p99Ratio", "≤ 1.5 × without", num(s, "slow", "p99Ratio"), (x) => x <= 1.5),
    t("search", "p99Ms", "≤ 20 ms", num(s, "search", "p99Ms"), (x) => x <= 20),
    t("cluster", "p99Ratio", "≤ 2 × one process", num(s, "cluster", "p99Ratio"), (x) => x <= 2),
    t("cluster", "deliveriesRatio", "≥ 0.6 × one process", num(s, "cluster", "deliveriesRatio"), (x) => x >= 0.6),
    t("cluster", "pgPersistRatio", "≥ 2 × raw pg", num(s, "cluster", "pgPersistRatio"), (x) => x >= 2),
    t("cluster", "lost", "0", num(s, "cluster", "lost"), (x) => x === 0),
    // the ratio means nothing unless the server did cut every stalled socket off during the run
    t("slow", "stalledCutOff", "all stalled sockets cut off", num(s, "slow", "stalledCutOff"), (x) => {
      return x === num(s, "slow", "stalled");
    }),
  ];
}

const fmt = (x: number | null | undefined, unit = ""): string => {
  if (x === null || x === undefined || !Number.isFinite(x)) return "—";
  const abs = Math.abs(x);
  if (Number.isInteger(x)) return `${x.toLocaleString("en-US")}${unit}`;
  const s = abs >= 1000 ? Math.round(x).toLocaleString("en-US") : abs >= 10 ? x.toFixed(1) : x.toFixed(2);
  return `${s}${unit}`;
};

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => [...(r[c] ?? "")].length)));
  const line = (r: string[]) => r.map((cell, c) => cell + " ".repeat(widths[c]! - [...cell].length)).join("  ");
  return [line(rows[0]!), widths.map((w) => "─".repeat(w)).join("  "), ...rows.slice(1).map(line)].join("\n");
}

export function renderTable(s: Scenarios, targets: Target[]): string {
  const g = (sc: string, k: string) => num(s, sc, k);
  const rows: string[][] = [["scenario", "chatterbox", "baseline (same run)", "ratio", "target", "met"]];
  const met = (scenario: string, metric: string) => {
    const t = targets.find((x) => x.scenario === scenario && x.metric === metric);
    return t?.met === null || t === undefined ? "—" : t.met ? "yes" : "NO";
  };
  const err = (sc: string) => {
    const e = s[sc]?.error;
    return typeof e === "string" ? `error: ${e.split("\n")[0]}` : null;
  };
  const add = (sc: string, row: string[]) => rows.push(err(sc) ? [sc, err(sc)!, "", "", "", ""] : row);
  add("latency", [
    `latency p50/p99 (${fmt(g("latency", "clients"))} clients, ${fmt(g("latency", "rooms"))} rooms, ${fmt(g("latency", "ratePerSec"))} msg/s)`,
    `${fmt(g("latency", "p50Ms"), " ms")} / ${fmt(g("latency", "p99Ms"), " ms")}`,
    `raw ws ${fmt(g("latency", "rawWsP50Ms"), " ms")} / ${fmt(g("latency", "rawWsP99Ms"), " ms")}`,
    fmt(g("latency", "p99RatioVsRawWs"), "×"),
    "p50 ≤ 1 ms, p99 ≤ 3 × raw",
    `${met("latency", "p50Ms")} / ${met("latency", "p99RatioVsRawWs")}`,
  ]);
  add("latency", [
    `  … of which ${fmt(g("latency", "messages"))} messages / ${fmt(g("latency", "changes"))} edits + reactions`,
    `${fmt(g("latency", "messageP50Ms"), " ms")} / ${fmt(g("latency", "messageP99Ms"), " ms")}; ` +
      `changes ${fmt(g("latency", "changeP50Ms"), " ms")} / ${fmt(g("latency", "changeP99Ms"), " ms")}`,
    `lost ${fmt(g("latency", "messageLost"))} / ${fmt(g("latency", "changeLost"))}`,
    "",
    "0 lost",
    met("latency", "lost"),
  ]);
  add("latency", [
    `  … floor: raw ws committing each frame to SQLite (fsync) before forwarding it`,
    "",
    `raw durable ${fmt(g("latency", "rawDurableP50Ms"), " ms")} / ${fmt(g("latency", "rawDurableP99Ms"), " ms")}`,
    "",
    "(informational)",
    "",
  ]);
  add("latencyScale", [
    `latency at 10× p50/p99 (${fmt(g("latencyScale", "clients"))} clients, ${fmt(g("latencyScale", "rooms"))} rooms, ${fmt(g("latencyScale", "ratePerSec"))} msg/s)`,
    `${fmt(g("latencyScale", "p50Ms"), " ms")} / ${fmt(g("latencyScale", "p99Ms"), " ms")}; lost ${fmt(g("latencyScale", "lost"))}`,
    `raw ws ${fmt(g("latencyScale", "rawWsP50Ms"), " ms")} / ${fmt(g("latencyScale", "rawWsP99Ms"), " ms")}`,
    fmt(g("latencyScale", "p99RatioVsRawWs"), "×"),
    "p99 ≤ 15 ms, 0 lost",
    `${met("latencyScale", "p99Ms")} / ${met("latencyScale", "lost")}`,
  ]);
  add("c100k", [
    `C100K: ${fmt(g("c100k", "connections"))} idle connections, then ${fmt(g("c100k", "ratePerSec"))} msg/s: RSS; p99`,
    `${fmt((g("c100k", "rssBytes") ?? NaN) / 1048576, " MB")}; ${fmt(g("c100k", "p99Ms"), " ms")}; open ${fmt(g("c100k", "stillOpen"))}`,
    `raw ws ${fmt((g("c100k", "rawWsRssBytes") ?? NaN) / 1048576, " MB")}; ${fmt(g("c100k", "rawWsP99Ms"), " ms")}`,
    "",
    "≤ 2.5 GB, ≤ 50 ms, all open",
    `${met("c100k", "rssBytes")} / ${met("c100k", "p99Ms")} / ${met("c100k", "allOpen")}`,
  ]);
  add("fanout", [
    "fanout deliveries/s at p99 ≤ 50 ms, 0 lost",
    fmt(g("fanout", "deliveriesPerSec")),
    `raw ws ${fmt(g("fanout", "rawWsDeliveriesPerSec"))}`,
    fmt(g("fanout", "ratio")),
    "≥ 0.8",
    met("fanout", "ratio"),
  ]);
  add("persist", [
    `persist acked msgs/s (${fmt(g("persist", "senders"))} senders)`,
    fmt(g("persist", "messagesPerSec")),
    `raw SQLite 1-row commits ${fmt(g("persist", "rawSqliteSingleRowPerSec"))}`,
    fmt(g("persist", "ratio")),
    "≥ 2",
    met("persist", "ratio"),
  ]);
  add("persist", [
    `  … mixed: acked ops/s (80 % sends, 10 % edits, 10 % reactions)`,
    `${fmt(g("persist", "mixedOpsPerSec"))} (${fmt(g("persist", "changesPerSec"))} changes/s)`,
    `raw SQLite 1-row commits ${fmt(g("persist", "rawSqliteSingleRowPerSec"))}`,
    fmt(g("persist", "mixedRatio")),
    "(informational)",
    "—",
  ]);
  add("idle", [
    `idle bytes/connection (${fmt(g("idle", "connections"))} conns)`,
    fmt(g("idle", "bytesPerConnection"), " B"),
    `raw ws ${fmt(g("idle", "rawWsBytesPerConnection"), " B")}`,
    fmt(g("idle", "ratioVsRawWs"), "×"),
    "≤ 2 × raw",
    met("idle", "ratioVsRawWs"),
  ]);
  add("history", [
    `history p99 last-50 / before (${fmt(g("history", "rows"))} rows, socket.io, ${typeof s.history?.server === "string" ? s.history.server : "—"})`,
    `${fmt(g("history", "lastP99Ms"), " ms")} / ${fmt(g("history", "beforeP99Ms"), " ms")}`,
    `raw SQLite ${fmt(g("history", "rawSqliteLastP99Ms"), " ms")} / ${fmt(g("history", "rawSqliteBeforeP99Ms"), " ms")}; ` +
      `raw ws page ${fmt(g("history", "rawWsPageP99Ms"), " ms")}`,
    "",
    "≤ 3 ms",
    met("history", "p99Ms"),
  ]);
  add("history", [
    `  … REST (GET /api/messages) last-50 / before`,
    `${fmt(g("history", "restLastP99Ms"), " ms")} / ${fmt(g("history", "restBeforeP99Ms"), " ms")}`,
    `raw HTTP page ${fmt(g("history", "rawHttpPageP99Ms"), " ms")}; /api/health ${fmt(g("history", "httpHealthP99Ms"), " ms")}`,
    "",
    "REST ≤ 5 ms",
    met("history", "restP99Ms"),
  ]);
  add("search", [
    `search p99 1 word / 2 words / phrase / from:+word (${fmt(g("search", "rows"))} msgs, socket.io)`,
    `${fmt(g("search", "oneWordP99Ms"))} / ${fmt(g("search", "twoWordsP99Ms"))} / ${fmt(g("search", "phraseP99Ms"))} / ${fmt(g("search", "fromWordP99Ms"), " ms")}`,
    `raw FTS5 ${fmt(g("search", "rawSqliteOneWordP99Ms"))} / ${fmt(g("search", "rawSqliteTwoWordsP99Ms"))} / ${fmt(g("search", "rawSqlitePhraseP99Ms"))} / ${fmt(g("search", "rawSqliteFromWordP99Ms"), " ms")}`,
    "",
    "≤ 20 ms",
    met("search", "p99Ms"),
  ]);
  add("cluster", [
    `cluster: 2 processes + PostgreSQL + Redis, p99 (${fmt(g("cluster", "clients"))} clients, ${fmt(g("cluster", "ratePerSec"))} msg/s)`,
    fmt(g("cluster", "clusterP99Ms"), " ms"),
    `1 process ${fmt(g("cluster", "singleP99Ms"), " ms")}`,
    fmt(g("cluster", "p99Ratio"), "×"),
    "≤ 2, 0 lost",
    `${met("cluster", "p99Ratio")} / ${met("cluster", "lost")}`,
  ]);
  add("cluster", [
    "  … deliveries/s under overload",
    fmt(g("cluster", "clusterDeliveriesPerSec")),
    `1 process ${fmt(g("cluster", "singleDeliveriesPerSec"))}`,
    fmt(g("cluster", "deliveriesRatio"), "×"),
    "≥ 0.6",
    met("cluster", "deliveriesRatio"),
  ]);
  add("cluster", [
    `  … persist acked msgs/s on PostgreSQL (${fmt(g("cluster", "persistSenders"))} senders)`,
    fmt(g("cluster", "pgMessagesPerSec")),
    `raw pg 1-row commits ${fmt(g("cluster", "rawPgSingleRowPerSec"))}`,
    fmt(g("cluster", "pgPersistRatio"), "×"),
    "≥ 2",
    met("cluster", "pgPersistRatio"),
  ]);
  add("login", [
    `login storm: logins/s; msg p99 during`,
    `${fmt(g("login", "loginsPerSec"))}/s; ${fmt(g("login", "messageP99Ms"), " ms")}`,
    `no storm ${fmt(g("login", "baselineP99Ms"), " ms")}; bcrypt ${fmt(g("login", "rawBcryptComparesPerSec"))}/s`,
    fmt(g("login", "p99Ratio"), "×"),
    "p99 ≤ 1.5 × baseline",
    met("login", "messageP99Ms / baselineP99Ms"),
  ]);
  add("slow", [
    `p99 with ${fmt(g("slow", "stalled"))} stalled sockets (${fmt(g("slow", "stalledCutOff"))} cut off)`,
    fmt(g("slow", "p99Ms"), " ms"),
    `without ${fmt(g("slow", "baselineP99Ms"), " ms")}`,
    fmt(g("slow", "p99Ratio"), "×"),
    "≤ 1.5 × without",
    met("slow", "p99Ratio"),
  ]);
  add("coldStart", [
    "cold start to healthy",
    fmt(g("coldStart", "ms"), " ms"),
    `bench entry ${fmt(g("coldStart", "benchEntryMs"), " ms")}`,
    "",
    "≤ 1200 ms",
    met("coldStart", "ms"),
  ]);
  return table(rows);
}

/** Latency (p50 and p99) against offered load, Chatterbox and raw ws, as a self-contained SVG. */
export function latencySvg(points: SweepPoint[], title: string): string {
  const W = 720;
  const H = 420;
  const m = { l: 64, r: 180, t: 48, b: 56 };
  const pw = W - m.l - m.r;
  const ph = H - m.t - m.b;
  const xs = points.map((p) => p.ratePerSec);
  const ys = points.flatMap((p) => [p.p50Ms, p.p99Ms, p.rawWsP50Ms, p.rawWsP99Ms]).filter(Number.isFinite);
  const xMax = Math.max(...xs) * 1.05;
  // log scale: sub-millisecond raw numbers and queueing tails of hundreds of ms on one chart
  const yLo = 10 ** Math.floor(Math.log10(Math.max(0.01, Math.min(1, ...ys))));
  const yHi = 10 ** Math.ceil(Math.log10(Math.max(20, ...ys)));
  const X = (x: number) => m.l + (x / xMax) * pw;
  const Y = (y: number) =>
    m.t + ph - ((Math.log10(Math.min(Math.max(y, yLo), yHi)) - Math.log10(yLo)) / Math.log10(yHi / yLo)) * ph;
  const series = [
    { key: "p99Ms", label: "Chatterbox p99", color: "#d62728", dash: "" },
    { key: "p50Ms", label: "Chatterbox p50", color: "#ff7f0e", dash: "" },
    { key: "rawWsP99Ms", label: "raw ws p99", color: "#1f77b4", dash: "6 4" },
    { key: "rawWsP50Ms", label: "raw ws p50", color: "#17becf", dash: "6 4" },
  ] as const;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${m.l}" y="24" font-size="15" font-weight="bold">${escapeXml(title)}</text>`,
  );
  for (let decade = yLo; decade <= yHi * 1.001; decade *= 10) {
    for (const k of [1, 3]) {
      const v = decade * k;
      if (v > yHi * 1.001) continue;
      out.push(
        `<line x1="${m.l}" x2="${m.l + pw}" y1="${Y(v)}" y2="${Y(v)}" stroke="${k === 1 ? "#d0d0d0" : "#eeeeee"}"/>`,
        `<text x="${m.l - 8}" y="${Y(v) + 4}" text-anchor="end">${+v.toPrecision(2)}</text>`,
      );
    }
  }
  for (const x of xs) {
    out.push(
      `<line x1="${X(x)}" x2="${X(x)}" y1="${m.t + ph}" y2="${m.t + ph + 5}" stroke="#333"/>`,
      `<text x="${X(x)}" y="${m.t + ph + 20}" text-anchor="middle">${x}</text>`,
    );
  }
  out.push(
    `<line x1="${m.l}" x2="${m.l}" y1="${m.t}" y2="${m.t + ph}" stroke="#333"/>`,
    `<line x1="${m.l}" x2="${m.l + pw}" y1="${m.t + ph}" y2="${m.t + ph}" stroke="#333"/>`,
    `<text x="${m.l + pw / 2}" y="${H - 14}" text-anchor="middle">offered load (messages/s in)</text>`,
    `<text transform="translate(18 ${m.t + ph / 2}) rotate(-90)" text-anchor="middle">latency send → receipt (ms, log scale)</text>`,
  );
  if (10 <= yHi) {
    out.push(
      `<line x1="${m.l}" x2="${m.l + pw}" y1="${Y(10)}" y2="${Y(10)}" stroke="#d62728" stroke-dasharray="2 3" opacity="0.6"/>`,
      `<text x="${m.l + 6}" y="${Y(10) - 4}" fill="#d62728" opacity="0.8">p99 target 10 ms</text>`,
    );
  }
  series.forEach((s, i) => {
    const pts = points.filter((p) => Number.isFinite(p[s.key])).map((p) => `${X(p.ratePerSec)},${Y(p[s.key])}`);
    out.push(
      `<polyline fill="none" stroke="${s.color}" stroke-width="2" ${s.dash ? `stroke-dasharray="${s.dash}"` : ""} points="${pts.join(" ")}"/>`,
    );
    for (const p of points) {
      if (Number.isFinite(p[s.key]))
        out.push(`<circle cx="${X(p.ratePerSec)}" cy="${Y(p[s.key])}" r="3" fill="${s.color}"/>`);
    }
    const ly = m.t + 10 + i * 20;
    out.push(
      `<line x1="${m.l + pw + 16}" x2="${m.l + pw + 40}" y1="${ly}" y2="${ly}" stroke="${s.color}" stroke-width="2" ${s.dash ? `stroke-dasharray="${s.dash}"` : ""}/>`,
      `<text x="${m.l + pw + 46}" y="${ly + 4}">${s.label}</text>`,
    );
  });
  out.push("</svg>");
  return `${out.join("\n")}\n`;
}

function escapeXml(s: string): string {
  return s.replace(/[<>&"]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;" })[c]!);
}
