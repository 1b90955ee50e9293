import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
    // TEST_DATABASE=postgres: one PostgreSQL for the run (test/helpers/test-database.ts); else nothing
    globalSetup: ["test/helpers/pg-global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // integration files each start a server with its own database; two cores, so two at a time
    maxWorkers: 2,
    // `npm test` runs with --coverage: v8's own counters (no instrumentation), summed up in one line by
    // scripts/coverage-line.ts. Code run only in child processes (spawned servers, the CLI) is not counted.
    coverage: {
      provider: "v8",
      include: ["lib/**", "cli/**", "server.ts", "proxy.ts"],
      exclude: ["lib/generated/**"],
      reporter: [["json-summary", { file: "coverage-summary.json" }]],
      reportsDirectory: "coverage",
    },
  },
});
