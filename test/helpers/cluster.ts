// Several real Chatterbox server processes that behave as one: each a child process (spawnServer /
// serve-entry.ts) with REDIS_URL set to one test Redis, all over one database: the one spawnServer gives the
// cluster's directory (test-database.ts), so the whole multi-process suite follows the TEST_DATABASE switch —
// one SQLite file in that directory (WAL: several processes may share it), or one PostgreSQL database.
//
//   const cluster = await startCluster(2);
//   …  cluster.servers[0].url, cluster.servers[1].url  …
//   await cluster.kill(0);  await cluster.restart(0);
//   await cluster.redis.stop();  await cluster.redis.restart();
//   finally: await cluster.close();
import { rmSync } from "node:fs";
import { startRedis, type TestRedis } from "./redis";
import { makeServerDir, spawnServer, type ServerProcess } from "./server-process";

export interface TestCluster {
  redis: TestRedis;
  dir: string;
  /** the processes by index; `kill` and `restart` replace entries */
  servers: ServerProcess[];
  /** SIGKILL (default) or SIGTERM to process `i` */
  kill(i: number, signal?: NodeJS.Signals): Promise<void>;
  /** starts process `i` again (a new port: read `servers[i].url` afterwards) */
  restart(i: number): Promise<ServerProcess>;
  /** starts one more process (the last of `servers`) */
  add(): Promise<ServerProcess>;
  close(): Promise<void>;
}

/** `env`: server settings for every process (throttles, LOG_LEVEL); `processEnv`: as spawnServer's */
export async function startCluster(
  count: number,
  opts: { env?: Record<string, string>; processEnv?: Record<string, string> } = {},
): Promise<TestCluster> {
  const redis = await startRedis();
  const dir = makeServerDir("chatterbox-cluster-");
  const env = { ...opts.env, REDIS_URL: redis.url };
  const start = () => spawnServer({ dir, env, ...(opts.processEnv ? { processEnv: opts.processEnv } : {}) });
  const servers: ServerProcess[] = [];
  try {
    // the first one migrates a fresh database; the rest start together
    servers.push(await start());
    servers.push(...(await Promise.all(Array.from({ length: count - 1 }, start))));
  } catch (err) {
    await Promise.all(servers.map((s) => s.kill()));
    await redis.close();
    throw err;
  }
  return {
    redis,
    dir,
    servers,
    kill: (i, signal = "SIGKILL") => servers[i]!.kill(signal),
    async restart(i) {
      await servers[i]!.kill();
      servers[i] = await start();
      return servers[i];
    },
    async add() {
      const server = await start();
      servers.push(server);
      return server;
    },
    async close() {
      // a process that died on its own (not killed by the test) says why
      for (const s of servers.filter((p) => p.exited && p.child.signalCode === null && p.child.exitCode !== 0)) {
        console.error(`a cluster process exited with code ${s.child.exitCode}:\n${s.stderr().slice(-3000)}`);
      }
      await Promise.all(servers.map((s) => s.kill()));
      await redis.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
