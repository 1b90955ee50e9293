// The Redis connections of one server process (ioredis): `command` for throttles and presence, `pub` and
// `sub` for socket.io's adapter. Commands and publishes fail at once while Redis is unreachable (no offline
// queue: nothing piles up in memory, and callers fall back); every connection reconnects by itself, the
// subscriber re-subscribing. Outages are logged once each way, not once per failed command.
import type { Redis } from "ioredis";
import type { Logger } from "../logger";

export interface RedisConnections {
  command: Redis;
  pub: Redis;
  sub: Redis;
  /** whether all three are connected now */
  up(): boolean;
  /** called whenever every connection is back after at least one of them was lost */
  onRecovered(listener: () => void): void;
  close(): Promise<void>;
}

/** how long a command may wait before it counts as failed (a hung Redis must not hang requests) */
const COMMAND_TIMEOUT_MS = 2000;

/**
 * socket.io's adapter sends these without waiting for the answer: a refusal (an outage, a timeout) must not
 * become an unhandled rejection, which would end the process. The outage itself is logged once, below.
 */
function settleQuietly(client: Redis, method: "publish" | "subscribe" | "psubscribe" | "unsubscribe" | "punsubscribe") {
  const original = (client[method] as (...args: unknown[]) => Promise<unknown>).bind(client);
  Object.assign(client, {
    [method]: (...args: unknown[]) => {
      const sent = original(...args);
      sent.catch(() => undefined);
      return sent;
    },
  });
}

export async function connectRedis(url: string, logger: Logger): Promise<RedisConnections> {
  // loaded only when scaled out: a single process never pays its start-up time
  const { Redis } = await import("ioredis");
  const options = {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: COMMAND_TIMEOUT_MS,
    // reconnect quickly, then every second: an outage ends as soon as Redis answers again
    retryStrategy: (times: number) => Math.min(times * 100, 1000),
  };
  const command = new Redis(url, { ...options, connectionName: "chatterbox-command" });
  const pub = new Redis(url, { ...options, connectionName: "chatterbox-pub" });
  // the subscriber keeps its offline queue and no timeout: its SUBSCRIBEs wait for the connection
  const sub = new Redis(url, {
    ...options,
    enableOfflineQueue: true,
    maxRetriesPerRequest: null,
    commandTimeout: undefined,
    connectionName: "chatterbox-sub",
  });
  const all = [command, pub, sub];
  const recovered: (() => void)[] = [];
  let lost = false;
  let closing = false;

  const up = () => all.every((c) => c.status === "ready");
  for (const client of all) {
    client.on("error", (err: Error) => {
      if (lost || closing) return;
      lost = true;
      logger.warn({ err }, "Redis unreachable: cross-process fan-out, shared throttles and presence degraded");
    });
    client.on("close", () => {
      if (lost || closing) return;
      lost = true;
      logger.warn("Redis connection lost: cross-process fan-out, shared throttles and presence degraded");
    });
    client.on("ready", () => {
      if (!lost || !up()) return;
      lost = false;
      logger.warn("Redis is back: cross-process fan-out restored");
      for (const listener of recovered) listener();
    });
  }
  for (const method of ["publish", "subscribe", "psubscribe", "unsubscribe", "punsubscribe"] as const) {
    settleQuietly(method === "publish" ? pub : sub, method);
  }

  return {
    command,
    pub,
    sub,
    up,
    onRecovered: (listener) => void recovered.push(listener),
    async close(): Promise<void> {
      closing = true;
      // QUIT only where it can be sent: a connection waiting for Redis would wait with it
      const quit = async (c: Redis) => {
        if (c.status !== "ready") return c.disconnect();
        await c.quit().catch(() => c.disconnect());
      };
      await Promise.all(all.map(quit));
    },
  };
}
