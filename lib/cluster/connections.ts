// The Redis connections of one server process (ioredis): `command` for throttles and presence, `pub` and
// `sub` for socket.io's adapter. Commands and publishes fail at once while Redis is unreachable (no offline
// queue: nothing piles up in memory, and callers fall back); every connection reconnects by itself, the
// subscriber re-subscribing. Outages are logged once each way, not once per failed command.
import { Redis } from "ioredis";
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
const COMMAND_TIMEOUT_MS = 1000;

export function connectRedis(url: string, logger: Logger): RedisConnections {
  const options = {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: COMMAND_TIMEOUT_MS,
    // reconnect quickly, then every second: an outage ends as soon as Redis answers again
    retryStrategy: (times: number) => Math.min(times * 100, 1000),
  };
  const command = new Redis(url, { ...options, connectionName: "chatterbox-command" });
  const pub = new Redis(url, { ...options, connectionName: "chatterbox-pub" });
  // the subscriber keeps its offline queue: its SUBSCRIBEs wait for the connection instead of failing
  const sub = new Redis(url, { ...options, enableOfflineQueue: true, connectionName: "chatterbox-sub" });
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
  // the adapter publishes without waiting: a publish refused during an outage must not become an
  // unhandled rejection (the outage itself is logged above)
  const publish = pub.publish.bind(pub);
  pub.publish = (...args: Parameters<typeof publish>) => {
    const sent = publish(...args);
    sent.catch(() => undefined);
    return sent;
  };

  return {
    command,
    pub,
    sub,
    up,
    onRecovered: (listener) => void recovered.push(listener),
    async close(): Promise<void> {
      closing = true;
      await Promise.all(all.map((c) => c.quit().catch(() => c.disconnect())));
    },
  };
}
