// Hands the services that server.ts built to Next's route handlers. Next bundles route handlers apart from
// server.ts, so a module-level variable would be a second copy; globalThis is shared by both.
import type { ServerConfig } from "./config";
import type { Services } from "./services";

interface Runtime {
  services: Services;
  config: ServerConfig;
}

const KEY = Symbol.for("chatterbox.runtime");
type Holder = { [KEY]?: Runtime };

export function installRuntime(runtime: Runtime | undefined): void {
  (globalThis as Holder)[KEY] = runtime;
}

export function getRuntime(): Runtime {
  const runtime = (globalThis as Holder)[KEY];
  if (!runtime) throw new Error("Chatterbox services are not started: run the app through server.ts (npm start)");
  return runtime;
}
