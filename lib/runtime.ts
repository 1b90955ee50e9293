// Hands the services that the server factory (lib/server/create-chat-server.ts) built to the route handlers.
// Next bundles route handlers apart from server.ts, so a module-level variable would be a second copy;
// globalThis is shared by both.
import type { ServerConfig } from "./config";
import type { Metrics } from "./server/metrics";
import type { Services } from "./services";

export interface Runtime {
  services: Services;
  config: ServerConfig;
  metrics: Metrics;
}

const KEY = Symbol.for("chatterbox.runtime");
type Holder = { [KEY]?: Runtime };

export function installRuntime(runtime: Runtime | undefined): void {
  (globalThis as Holder)[KEY] = runtime;
}

/** Removes `runtime` if it is the one installed (a server closing must not remove a newer one's). */
export function removeRuntime(runtime: Runtime): void {
  if ((globalThis as Holder)[KEY] === runtime) installRuntime(undefined);
}

export function getRuntime(): Runtime {
  const runtime = (globalThis as Holder)[KEY];
  if (!runtime) throw new Error("Chatterbox services are not started: run the app through server.ts (npm start)");
  return runtime;
}
