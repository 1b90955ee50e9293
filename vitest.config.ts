import path from "node:path";
import { configDefaults, defineConfig } from "vitest/config";

// Under TEST_DATABASE=postgres (npm run test:pg) the suites whose subject is not the database are left out, so
// the second pass stays short: the terminal client's screens and scripting (the same server API either way),
// in-memory throttles, HTTP hardening and proxies. Everything that stores or reads data runs on PostgreSQL too.
const NOT_ABOUT_THE_DATABASE = [
  "test/integration/cli-*.integration.test.ts",
  "test/integration/nginx-proxy.integration.test.ts",
  "test/security/{throttling,throttle-defaults,slow-consumers,http-timeouts,dns-rebinding,headers,connection-limits,proxy-trusted}.integration.test.ts",
  // the PostgreSQL data layer's own tests start their own server and run in every pass already
  "test/integration/pg/**",
];

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["test/**/*.test.ts"],
    exclude: [...configDefaults.exclude, ...(process.env.TEST_DATABASE === "postgres" ? NOT_ABOUT_THE_DATABASE : [])],
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
