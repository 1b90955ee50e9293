#!/usr/bin/env node
// The `chatterbox` command: load tsx's TypeScript loader, then run cli/main.ts. Paths are resolved from
// this file, so it works from any working directory (and when installed as a package's bin).
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { register } from "tsx/esm/api";

const tsconfig = fileURLToPath(new URL("../tsconfig.json", import.meta.url));
register({ tsconfig: existsSync(tsconfig) ? tsconfig : false });
const { runAsProcess } = await import(new URL("./main.ts", import.meta.url).href);
await runAsProcess();
