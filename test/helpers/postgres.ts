// A fresh PostgreSQL for tests: the launcher lives in scripts/lib/postgres.ts (db:check uses it too).
export { postgresBinDir, startPostgres, type TestPostgres } from "../../scripts/lib/postgres";
