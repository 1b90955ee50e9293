// `npm start` runs this first: it builds the Next app and compiles the server (scripts/build-server.ts) when
// there is no build, or when their sources changed since the last one (a `git pull` followed by
// `npm start` must not serve stale pages or run a stale server).
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { buildServer, SERVER_BUNDLE, SERVER_DIST } from "./build-server";

interface Target {
  name: string;
  inputs: string[];
  /** directories not hashed */
  skip: string[];
  /** exists once a build finished */
  output: string;
  stamp: string;
  build(): void | Promise<void>;
}

const TARGETS: Target[] = [
  {
    name: "the web app",
    inputs: ["app", "components", "hooks", "lib", "proxy.ts", "next.config.mjs", "package-lock.json", "tsconfig.json"],
    skip: ["generated", "node_modules"],
    output: path.join(".next", "BUILD_ID"),
    stamp: path.join(".next", "chatterbox-sources.sha256"),
    build() {
      const r = spawnSync(process.execPath, [path.resolve("node_modules/next/dist/bin/next"), "build"], {
        stdio: "inherit",
        env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
      });
      if (r.status !== 0) process.exit(r.status ?? 1);
    },
  },
  {
    // the bundle includes the generated Prisma client, so lib/generated counts here
    name: "the server",
    inputs: ["server.ts", "lib", "package-lock.json", "tsconfig.json", "scripts/build-server.ts"],
    skip: ["node_modules"],
    output: SERVER_BUNDLE,
    stamp: path.join(SERVER_DIST, "sources.sha256"),
    build: buildServer,
  },
];

function* files(p: string, skip: Set<string>): Generator<string> {
  if (!existsSync(p)) return;
  if (statSync(p).isFile()) {
    yield p;
    return;
  }
  for (const entry of readdirSync(p, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (!skip.has(entry.name)) yield* files(path.join(p, entry.name), skip);
  }
}

function fingerprint(target: Target): string {
  const hash = createHash("sha256");
  const skip = new Set(target.skip);
  for (const input of target.inputs)
    for (const file of files(input, skip)) hash.update(file).update(readFileSync(file));
  return hash.digest("hex");
}

for (const target of TARGETS) {
  const current = fingerprint(target);
  const built = existsSync(target.output) && existsSync(target.stamp) && readFileSync(target.stamp, "utf8") === current;
  if (built) continue;
  console.log(`Building ${target.name} (first start, or the sources changed)…`);
  await target.build();
  writeFileSync(target.stamp, current);
}
