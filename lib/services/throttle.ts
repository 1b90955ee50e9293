// Rate limits (rate-limiter-flexible): in memory in one process; scaled out (REDIS_URL), in Redis so every
// process counts against the same budget, each with an in-memory insurance limiter that takes over while
// Redis is unreachable (a Redis outage loosens the limits per process; it never fails a request).
// Every refusal is an AppError("rate_limited") that carries how long to wait; nothing locks anyone out.
import type { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { AppError } from "../errors";

export interface ThrottleConfig {
  /** failed logins per account and address per minute (an address gets five times as many) */
  THROTTLE_LOGINS: number;
  /** registrations per address per hour */
  THROTTLE_REGISTRATIONS: number;
  /** messages per user per 10 seconds */
  THROTTLE_MESSAGES: number;
  /** socket handshakes per address per minute */
  THROTTLE_CONNECTIONS: number;
}

async function consume(limiter: RateLimiterAbstract, key: string, what: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (res) {
    if (!(res instanceof RateLimiterRes)) throw res;
    const retryAfter = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
    throw new AppError("rate_limited", `Too many ${what}; try again in ${retryAfter} s`, retryAfter);
  }
}

/** `redis`: the cluster's command connection (lib/cluster), when scaled out */
export function createThrottles(config: ThrottleConfig, redis?: Redis) {
  const limiter = (name: string, window: { points: number; duration: number }): RateLimiterAbstract => {
    const memory = new RateLimiterMemory({ ...window, keyPrefix: name });
    if (!redis) return memory;
    return new RateLimiterRedis({
      ...window,
      storeClient: redis,
      keyPrefix: `chatterbox:throttle:${name}`,
      insuranceLimiter: memory,
    });
  };
  const loginAccount = limiter("login-account", { points: config.THROTTLE_LOGINS, duration: 60 });
  const loginAddress = limiter("login-address", { points: config.THROTTLE_LOGINS * 5, duration: 60 });
  const registrations = limiter("registration", { points: config.THROTTLE_REGISTRATIONS, duration: 3600 });
  const messages = limiter("message", { points: config.THROTTLE_MESSAGES, duration: 10 });
  const connections = limiter("connection", { points: config.THROTTLE_CONNECTIONS, duration: 60 });
  const accountKey = (username: string, ip: string) => `${username.toLowerCase()}|${ip}`;

  return {
    async loginAttempt(username: string, ip: string): Promise<void> {
      await consume(loginAccount, accountKey(username, ip), "login attempts");
      await consume(loginAddress, ip, "login attempts");
    },
    /** a successful login clears its account's failures: only guessing is throttled */
    async loginSucceeded(username: string, ip: string): Promise<void> {
      await Promise.all([loginAccount.delete(accountKey(username, ip)), loginAddress.reward(ip)]);
    },
    registration: (ip: string) => consume(registrations, ip, "registrations from this address"),
    /** per user id; an incoming webhook has a budget of its own, keyed `hook:<id>` */
    message: (sender: number | string) => consume(messages, String(sender), "messages"),
    /** a retry that the database already had costs nothing */
    messageWasRetry: async (sender: number | string) => {
      await messages.reward(String(sender), 1);
    },
    /** 0 when the address may open another socket now, else the seconds until it may */
    async connection(ip: string): Promise<number> {
      try {
        await connections.consume(ip);
        return 0;
      } catch (res) {
        if (res instanceof RateLimiterRes) return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
        throw res;
      }
    },
  };
}
export type Throttles = ReturnType<typeof createThrottles>;
