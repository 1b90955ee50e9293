// Shared by the tests (test/helpers/postgres.ts) and `npm run db:check` / `db:new`, which diff on a throwaway server.
// A fresh PostgreSQL server for tests (Debian's postgresql package): its own data directory in a temp dir,
// on loopback and a free port, trust authentication for the user `chat`, stopped by its postmaster's PID.
// PostgreSQL refuses to run as root, so as root it runs as the `postgres` user that the package creates.
//
//   const pg = await startPostgres();
//   const url = await pg.createDatabase();   // postgresql://chat@127.0.0.1:<port>/t_<random>
//   …
//   finally: await pg.stop();
import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { freePort } from "../../bench/lib/procs";

export interface TestPostgres {
  port: number;
  /** the URL of `database` (default: the maintenance database `postgres`) */
  url(database?: string): string;
  /** creates an empty database with a unique name: its URL */
  createDatabase(): Promise<string>;
  /** immediate shutdown (SIGQUIT to the postmaster: no checkpoint, the data is thrown away), then removes the data directory */
  stop(): Promise<void>;
}

/** The newest PostgreSQL installed under Debian's /usr/lib/postgresql/<major>/bin. */
export function postgresBinDir(): string {
  const root = "/usr/lib/postgresql";
  const majors = existsSync(root) ? readdirSync(root).filter((d) => /^\d+$/.test(d)) : [];
  const major = majors.sort((a, b) => Number(b) - Number(a))[0];
  if (!major) throw new Error("PostgreSQL is not installed (apt-get install postgresql)");
  return path.join(root, major, "bin");
}

const asRoot = process.getuid?.() === 0;

/** runs a PostgreSQL program, as `postgres` when we are root */
function pgCommand(bin: string, args: string[]): { file: string; args: string[] } {
  if (!asRoot) return { file: bin, args };
  return { file: "runuser", args: ["-u", "postgres", "--", bin, ...args] };
}

async function waitReady(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      return;
    } catch (err) {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

function postmasterPid(dataDir: string): number | null {
  try {
    return Number(readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
  } catch {
    return null;
  }
}

export async function startPostgres(opts: { timeoutMs?: number } = {}): Promise<TestPostgres> {
  const bin = postgresBinDir();
  const dir = mkdtempSync(path.join(tmpdir(), "chatterbox-pg-"));
  chmodSync(dir, 0o777); // the postgres user writes here
  const dataDir = path.join(dir, "data");
  // --no-sync: initdb's files need not reach the disk (a crash here loses a throwaway directory); the server
  // itself runs with fsync on
  const init = pgCommand(path.join(bin, "initdb"), [
    "-D",
    dataDir,
    "-U",
    "chat",
    "--auth=trust",
    "-E",
    "UTF8",
    "--no-sync",
  ]);
  execFileSync(init.file, init.args, { stdio: "ignore" });
  const port = await freePort();
  // fsync stays on: the tests check durability claims on this server too
  const run = pgCommand(path.join(bin, "postgres"), [
    ...["-D", dataDir, "-p", String(port), "-k", dir],
    ...["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=300"],
  ]);
  const child = spawn(run.file, run.args, { stdio: "ignore", detached: false });
  const url = (database = "postgres") => `postgresql://chat@127.0.0.1:${port}/${database}`;
  try {
    await waitReady(url(), opts.timeoutMs ?? 30_000);
  } catch (err) {
    child.kill("SIGKILL");
    throw err;
  }

  // never leave a server behind if this process goes away without stopping it (an interrupted test run):
  // the postmaster's PID, signalled synchronously on exit
  const pidAtStart = postmasterPid(dataDir);
  const killOnExit = () => {
    try {
      if (pidAtStart) process.kill(pidAtStart, "SIGQUIT");
    } catch {
      /* already gone */
    }
  };
  process.once("exit", killOnExit);

  let stopped: Promise<void> | undefined;
  return {
    port,
    url,
    async createDatabase() {
      const name = `t_${randomBytes(6).toString("hex")}`;
      const client = new pg.Client({ connectionString: url() });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    stop() {
      process.off("exit", killOnExit);
      stopped ??= (async () => {
        // runuser forks: the postmaster's own PID is the one to signal
        const pid = postmasterPid(dataDir);
        if (pid) {
          try {
            process.kill(pid, "SIGQUIT");
          } catch {
            /* already gone */
          }
          while (postmasterPid(dataDir) !== null) await new Promise((r) => setTimeout(r, 50));
        }
        child.kill("SIGKILL");
        rmSync(dir, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
}
