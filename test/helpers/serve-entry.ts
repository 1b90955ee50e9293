// Child-process entry for crash tests: starts a real test server (startTestServer) over the database in
// CHATTERBOX_TEST_DIR and prints one line `LISTENING <url>` on stdout once it accepts connections.
// Run with `node --import tsx test/helpers/serve-entry.ts`; see server-process.ts. Meant to be killed
// (SIGKILL for crash tests); SIGTERM / SIGINT close it cleanly.
import { LISTENING_PREFIX, LIVE_MEMORY_PREFIX, type LiveMemory } from "./server-process";
import { startTestServer } from "./test-server";

async function main(): Promise<void> {
  const dir = process.env.CHATTERBOX_TEST_DIR;
  if (!dir) throw new Error("CHATTERBOX_TEST_DIR is not set");
  // CHATTERBOX_TEST_ENV: a JSON object of server settings over the test defaults (spawnServer's `env`)
  const env = process.env.CHATTERBOX_TEST_ENV;
  const server = await startTestServer({ dir, ...(env ? { env: JSON.parse(env) as Record<string, string> } : {}) });
  process.stdout.write(`${LISTENING_PREFIX}${server.url}\n`);
  const stop = () => {
    server.close({ keepData: true }).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  // started with --expose-gc (spawnServer's liveMemory): SIGUSR2 collects every garbage object, twice so that
  // what the first one's finalizers released goes too, then reports what is left
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    process.on("SIGUSR2", () => {
      gc();
      gc();
      const { heapUsed, external } = process.memoryUsage();
      const live: LiveMemory = { heapUsed, external };
      process.stdout.write(`${LIVE_MEMORY_PREFIX}${JSON.stringify(live)}\n`);
    });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`serve-entry failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
