import path from "node:path";
import { configDefaults, defineConfig } from "vitest/config";

// Under TEST_DATABASE=postgres (npm run test:pg) every integration suite runs again on PostgreSQL, except the
// PostgreSQL data layer's own tests and the migration scripts' (db:new, db:check), which start their own
// PostgreSQL servers and run in every pass already.
const NOT_IN_THE_POSTGRES_PASS = ["test/integration/pg/**", "test/integration/db-scripts.integration.test.ts"];

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["test/**/*.test.ts"],
    exclude: [...configDefaults.exclude, ...(process.env.TEST_DATABASE === "postgres" ? NOT_IN_THE_POSTGRES_PASS : [])],
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
