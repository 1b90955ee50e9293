// Compiles server.ts and everything it imports from the repo (lib/**, the generated Prisma client) into one
// ES module, dist/server.js (and chunks beside it for what loads lazily), that `npm start` runs with plain node: no tsx loader at start (its start-up
// cost), and node is npm's direct child, so a supervisor's SIGTERM reaches the server.
// Packages stay external (loaded from node_modules, as Next needs them). Files a module opens with
// `new URL("./x.mjs", import.meta.url)` — the worker threads — are copied beside the bundle, where the
// same expression finds them once bundled.
import { copyFileSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";

export const SERVER_DIST = "dist";
export const SERVER_BUNDLE = path.join(SERVER_DIST, "server.js");

const URL_ASSET = /new URL\(\s*["'](\.{1,2}\/[^"']+)["']\s*,\s*import\.meta\.url\s*\)/g;

/** Relative files the bundled sources open through `new URL(…, import.meta.url)`, by their name in dist. */
function urlAssets(inputs: string[]): Map<string, string> {
  const assets = new Map<string, string>();
  for (const input of inputs) {
    if (input.startsWith("node_modules/") || !/\.[cm]?[jt]s$/.test(input)) continue;
    for (const [, rel] of readFileSync(input, "utf8").matchAll(URL_ASSET)) {
      const file = path.join(path.dirname(input), rel!);
      const name = path.basename(file);
      const seen = assets.get(name);
      if (seen && seen !== file) throw new Error(`two assets named ${name} (${seen}, ${file}): rename one`);
      assets.set(name, file);
    }
  }
  return assets;
}

export async function buildServer(): Promise<void> {
  rmSync(SERVER_DIST, { recursive: true, force: true });
  const result = await build({
    entryPoints: ["server.ts"],
    outdir: SERVER_DIST,
    // what is imported lazily (PostgreSQL's data layer, with node-postgres) becomes a chunk of its own, loaded
    // on first use; without splitting, esbuild hoists a lazy module's package imports into the bundle's top
    splitting: true,
    chunkNames: "[name]-[hash]",
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    sourcemap: "linked",
    metafile: true,
    logLevel: "warning",
  });
  mkdirSync(SERVER_DIST, { recursive: true });
  for (const [name, file] of urlAssets(Object.keys(result.metafile.inputs))) {
    copyFileSync(file, path.join(SERVER_DIST, name));
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await buildServer();
