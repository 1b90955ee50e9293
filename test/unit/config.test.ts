import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadCliConfig, loadServerConfig } from "@/lib/config";
import { LIMITS } from "@/lib/protocol";

const CWD = "/srv/chatterbox";

/** The ConfigError that loading `env` throws (fails the test if it loads). */
function configError(env: Record<string, string>): ConfigError {
  try {
    loadServerConfig(env, CWD);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error(`expected a ConfigError for ${JSON.stringify(env)}`);
}

describe("loadServerConfig defaults", () => {
  const config = loadServerConfig({}, CWD);

  it("serves on 127.0.0.1:8000", () => {
    expect(config.HOST).toBe("127.0.0.1");
    expect(config.PORT).toBe(8000);
  });

  it("uses bcrypt cost 12, a 30-day sliding session and no extra origins", () => {
    expect(config.BCRYPT_COST).toBe(12);
    expect(config.SESSION_TTL).toBe(60 * 60 * 24 * 30);
    expect(config.ALLOWED_ORIGINS).toEqual([]);
    expect(config.NODE_ENV).toBe("development");
    expect(config.LOG_LEVEL).toBe("info");
    expect(config.TRUST_PROXY).toEqual([]);
  });

  it("caps slow clients, sockets per user, connections and HTTP timeouts", () => {
    expect(config.SLOW_CLIENT_MAX_BYTES).toBe(1024 * 1024);
    expect(config.SLOW_CLIENT_MAX_MS).toBe(10_000);
    expect(config.MAX_SOCKETS_PER_USER).toBe(50);
    expect(config.MAX_CONNECTIONS).toBe(10_000);
    expect(config.HEADERS_TIMEOUT_MS).toBe(10_000);
    expect(config.REQUEST_TIMEOUT_MS).toBe(30_000);
    expect(config.KEEPALIVE_TIMEOUT_MS).toBe(60_000);
  });

  it("keeps the database under ./data, as an absolute path", () => {
    expect(config.databasePath).toBe(path.join(CWD, "data", "chatterbox.db"));
    expect(config.DATABASE_URL).toBe(`file:${path.join(CWD, "data", "chatterbox.db")}`);
  });

  it("reads process.env and process.cwd() when given nothing", () => {
    const fromProcess = loadServerConfig();
    expect(path.isAbsolute(fromProcess.databasePath ?? "")).toBe(true);
  });
});

describe("loadServerConfig values", () => {
  it("takes valid values, coercing numbers", () => {
    const config = loadServerConfig(
      { HOST: "0.0.0.0", PORT: "3000", BCRYPT_COST: "10", SESSION_TTL: "60", LOG_LEVEL: "silent", NODE_ENV: "test" },
      CWD,
    );
    expect(config).toMatchObject({
      HOST: "0.0.0.0",
      PORT: 3000,
      BCRYPT_COST: 10,
      SESSION_TTL: 60,
      LOG_LEVEL: "silent",
      NODE_ENV: "test",
    });
  });

  it("refuses limits that are not positive integers, naming the variable", () => {
    expect(configError({ SLOW_CLIENT_MAX_BYTES: "0" }).message).toMatch(/SLOW_CLIENT_MAX_BYTES/);
    expect(configError({ MAX_SOCKETS_PER_USER: "-1" }).message).toMatch(/MAX_SOCKETS_PER_USER/);
    expect(configError({ MAX_CONNECTIONS: "lots" }).message).toMatch(/MAX_CONNECTIONS/);
    expect(configError({ HEADERS_TIMEOUT_MS: "1.5" }).message).toMatch(/HEADERS_TIMEOUT_MS/);
    expect(loadServerConfig({ SLOW_CLIENT_MAX_MS: "2500" }, CWD).SLOW_CLIENT_MAX_MS).toBe(2500);
  });

  it("accepts PORT 0 (an ephemeral port, for tests) and 65535", () => {
    expect(loadServerConfig({ PORT: "0" }, CWD).PORT).toBe(0);
    expect(loadServerConfig({ PORT: "65535" }, CWD).PORT).toBe(65535);
  });

  it("accepts bcrypt costs 10 to 15", () => {
    expect(loadServerConfig({ BCRYPT_COST: "10" }, CWD).BCRYPT_COST).toBe(10);
    expect(loadServerConfig({ BCRYPT_COST: "15" }, CWD).BCRYPT_COST).toBe(15);
  });

  it("resolves a relative DATABASE_URL against the working directory", () => {
    const config = loadServerConfig({ DATABASE_URL: "file:./db/chat.db" }, CWD);
    expect(config.databasePath).toBe("/srv/chatterbox/db/chat.db");
    expect(config.DATABASE_URL).toBe("file:/srv/chatterbox/db/chat.db");
    expect(loadServerConfig({ DATABASE_URL: "file:chat.db" }, CWD).databasePath).toBe("/srv/chatterbox/chat.db");
    expect(loadServerConfig({ DATABASE_URL: "file:../other/chat.db" }, CWD).databasePath).toBe("/srv/other/chat.db");
  });

  it("keeps an absolute DATABASE_URL as it is", () => {
    const config = loadServerConfig({ DATABASE_URL: "file:/var/lib/chatterbox/chat.db" }, CWD);
    expect(config.databasePath).toBe("/var/lib/chatterbox/chat.db");
    expect(config.DATABASE_URL).toBe("file:/var/lib/chatterbox/chat.db");
  });

  it("splits ALLOWED_ORIGINS on commas, trimming and skipping blanks", () => {
    const config = loadServerConfig({ ALLOWED_ORIGINS: " https://chat.example.com ,, http://localhost:3000 ," }, CWD);
    expect(config.ALLOWED_ORIGINS).toEqual(["https://chat.example.com", "http://localhost:3000"]);
  });
});

describe("TRUST_PROXY", () => {
  it.each([
    ["true", ["loopback"]],
    ["1", ["loopback"]],
    ["YES", ["loopback"]],
    ["false", []],
    ["0", []],
    [" 10.0.0.5 , ::1,192.168.1.2 ", ["10.0.0.5", "::1", "192.168.1.2"]],
    ["10.0.0.0/8,fd00::/8", ["10.0.0.0/8", "fd00::/8"]],
    ["loopback,uniquelocal", ["loopback", "uniquelocal"]],
  ])("%j → %j", (value, expected) => {
    expect(loadServerConfig({ TRUST_PROXY: value }, CWD).TRUST_PROXY).toEqual(expected);
  });

  it.each(["maybe", "10.0.0.300", "proxy.example.com", "10.0.0.0/33", "::1/129", "0.0.0.0/0", "::/0"])(
    "%j is refused, naming the variable",
    (value) => {
      expect(configError({ TRUST_PROXY: value }).message).toMatch(/\bTRUST_PROXY\b/);
    },
  );
});

describe("loadServerConfig refuses bad values with a ConfigError naming the variable", () => {
  it.each(["abc", "70000", "-1", "80.5", "8000x"])("PORT=%j", (value) => {
    const err = configError({ PORT: value });
    expect(err.name).toBe("ConfigError");
    expect(err.message).toMatch(/Invalid configuration/);
    expect(err.message).toMatch(/\bPORT\b/);
  });

  it("an empty PORT means unset: 8000, never a random port", () => {
    // `PORT= npm start` (an empty variable) must not silently listen on an ephemeral port (a coerced 0)
    expect(loadServerConfig({ PORT: "" }, CWD).PORT).toBe(8000);
    expect(loadServerConfig({ PORT: "  " }, CWD).PORT).toBe(8000);
  });

  it("BCRYPT_COST=9 is too weak, and the message says the minimum", () => {
    const err = configError({ BCRYPT_COST: "9" });
    expect(err.message).toMatch(/BCRYPT_COST/);
    expect(err.message).toMatch(/at least 10/);
  });

  it.each(["16", "twelve", "11.5"])("BCRYPT_COST=%j", (value) => {
    expect(configError({ BCRYPT_COST: value }).message).toMatch(/BCRYPT_COST/);
  });

  it.each(["not a url", "chat.example.com", "https://ok.example.com,also bad"])("ALLOWED_ORIGINS=%j", (value) => {
    const err = configError({ ALLOWED_ORIGINS: value });
    expect(err.message).toMatch(/ALLOWED_ORIGINS/);
    expect(err.message).toMatch(/origin like/);
  });

  it.each(["0", "-5", "1.5", "soon"])("SESSION_TTL=%j", (value) => {
    expect(configError({ SESSION_TTL: value }).message).toMatch(/SESSION_TTL/);
  });

  it.each(["mysql://db/chat", "chat.db", "file:", "postgresql:"])("DATABASE_URL=%j", (value) => {
    expect(configError({ DATABASE_URL: value }).message).toMatch(/DATABASE_URL/);
  });

  it("a postgresql:// or postgres:// DATABASE_URL selects PostgreSQL, with a pool size", () => {
    for (const url of ["postgresql://chat@db/chat", "postgres://chat:pw@10.0.0.5:5433/chat"]) {
      const config = loadServerConfig({ DATABASE_URL: url, DATABASE_POOL_SIZE: "25" }, CWD);
      expect(config.DATABASE_URL).toBe(url);
      expect(config.databasePath).toBeNull();
      expect(config.DATABASE_POOL_SIZE).toBe(25);
      expect(config.uploadDir).toBe("/srv/chatterbox/data/uploads");
    }
    expect(loadServerConfig({}, CWD).DATABASE_POOL_SIZE).toBe(10);
    expect(configError({ DATABASE_POOL_SIZE: "1" }).message).toMatch(/DATABASE_POOL_SIZE/);
  });

  it("an empty HOST means unset; LOG_LEVEL and NODE_ENV must be known values", () => {
    expect(loadServerConfig({ HOST: "" }).HOST).toBe("127.0.0.1");
    expect(configError({ LOG_LEVEL: "verbose" }).message).toMatch(/LOG_LEVEL/);
    expect(configError({ NODE_ENV: "staging" }).message).toMatch(/NODE_ENV/);
  });

  it("names every bad variable at once", () => {
    const err = configError({ PORT: "x", BCRYPT_COST: "9" });
    expect(err.message).toMatch(/PORT/);
    expect(err.message).toMatch(/BCRYPT_COST/);
  });
});

describe("loadCliConfig", () => {
  it("defaults to the local server and the XDG config directory", () => {
    expect(loadCliConfig({ HOME: "/home/ann" })).toEqual({
      serverUrl: "http://127.0.0.1:8000",
      bell: true,
      configDir: "/home/ann/.config/chatterbox",
    });
    expect(loadCliConfig({ HOME: "/home/ann", XDG_CONFIG_HOME: "/cfg" }).configDir).toBe("/cfg/chatterbox");
  });

  it("rings the bell on mentions unless CHATTERBOX_BELL is off; anything else is refused", () => {
    expect(loadCliConfig({ CHATTERBOX_BELL: "off" }).bell).toBe(false);
    expect(loadCliConfig({ CHATTERBOX_BELL: "on" }).bell).toBe(true);
    expect(() => loadCliConfig({ CHATTERBOX_BELL: "loud" })).toThrow(/CHATTERBOX_BELL/);
  });

  it("PUSH_ALLOWED_ORIGINS keeps origins only; VAPID_SUBJECT must be mailto: or https:", () => {
    expect(
      loadServerConfig({ PUSH_ALLOWED_ORIGINS: "https://push.lan:8443/x, https://10.0.0.2" }).PUSH_ALLOWED_ORIGINS,
    ).toEqual(["https://push.lan:8443", "https://10.0.0.2"]);
    expect(() => loadServerConfig({ PUSH_ALLOWED_ORIGINS: "not an origin" })).toThrow(/PUSH_ALLOWED_ORIGINS/);
    expect(() => loadServerConfig({ VAPID_SUBJECT: "ftp://x" })).toThrow(/VAPID_SUBJECT/);
  });

  it("REDIS_URL is unset by default (one process) and must be a redis:// or rediss:// URL", () => {
    expect(loadServerConfig({}, CWD).REDIS_URL).toBeUndefined();
    expect(loadServerConfig({ REDIS_URL: "redis://127.0.0.1:6379" }, CWD).REDIS_URL).toBe("redis://127.0.0.1:6379");
    expect(loadServerConfig({ REDIS_URL: "rediss://:secret@cache.internal:6380/2" }, CWD).REDIS_URL).toBe(
      "rediss://:secret@cache.internal:6380/2",
    );
    for (const bad of ["127.0.0.1:6379", "http://cache:6379", "redis://"]) {
      expect(() => loadServerConfig({ REDIS_URL: bad }, CWD)).toThrow(/REDIS_URL: must be a Redis URL/);
    }
  });

  it("takes --server over CHATTERBOX_URL and strips trailing slashes", () => {
    expect(loadCliConfig({ CHATTERBOX_URL: "https://a.example/" }).serverUrl).toBe("https://a.example");
    expect(loadCliConfig({ CHATTERBOX_URL: "https://a.example" }, "http://b.example:9000//").serverUrl).toBe(
      "http://b.example:9000",
    );
  });

  it("refuses a CHATTERBOX_URL that is not a URL, naming it", () => {
    expect(() => loadCliConfig({ CHATTERBOX_URL: "not a url" })).toThrow(/CHATTERBOX_URL/);
  });
});

describe("the defaults README states", () => {
  const readme = readFileSync(path.join(import.meta.dirname, "../../README.md"), "utf8");
  const config = loadServerConfig({}, CWD);

  /** the Configuration table's default column for `name`, e.g. "`2592000` (30 days)" */
  const tableDefault = (name: string) => new RegExp(`^\\| \`${name}\`\\s*\\| ([^|]+?)\\s*\\|`, "m").exec(readme)?.[1];

  it.each([
    ["SESSION_TTL", 60 * 60 * 24 * 30, "`2592000` (30 days)"],
    ["BCRYPT_COST", 12, "`12`"],
    ["PORT", 8000, "`8000`"],
    ["SLOW_CLIENT_MAX_BYTES", 1024 * 1024, "`1048576` (1 MiB)"],
    ["SLOW_CLIENT_MAX_MS", 10_000, "`10000`"],
    ["MAX_SOCKETS_PER_USER", 50, "`50`"],
    ["MAX_CONNECTIONS", 10_000, "`10000`"],
    ["HEADERS_TIMEOUT_MS", 10_000, "`10000`"],
    ["REQUEST_TIMEOUT_MS", 30_000, "`30000`"],
    ["KEEPALIVE_TIMEOUT_MS", 60_000, "`60000`"],
    ["AVATAR_MAX_BYTES", 5 * 1024 * 1024, "`5242880` (5 MiB)"],
  ] as const)("%s is %d, as the Configuration table says", (name, value, stated) => {
    expect(config[name]).toBe(value);
    expect(tableDefault(name)).toBe(stated);
  });

  // README's Security section states the throttles in prose
  it.each([
    ["THROTTLE_LOGINS", 10, "`THROTTLE_LOGINS` failed logins per account and address per minute (default 10"],
    ["THROTTLE_REGISTRATIONS", 20, "`THROTTLE_REGISTRATIONS` per address per hour (20)"],
    ["THROTTLE_MESSAGES", 60, "`THROTTLE_MESSAGES` per\nuser per 10 s (60)"],
    ["THROTTLE_CONNECTIONS", 300, "`THROTTLE_CONNECTIONS` socket handshakes per address per minute (300)"],
  ] as const)("%s is %d, as the Security section says", (name, value, stated) => {
    expect(config[name]).toBe(value);
    expect(readme.replace(/\s+/g, " ")).toContain(stated.replace(/\s+/g, " "));
  });

  it("the windows of the throttles are the ones README names (minute, hour, 10 s, minute)", () => {
    const source = readFileSync(path.join(import.meta.dirname, "../../lib/services/throttle.ts"), "utf8");
    const duration = (points: string) =>
      new RegExp(`points: config\\.${points},? duration: (\\d+)`).exec(source.replace(/\s+/g, " "))?.[1];
    expect(duration("THROTTLE_LOGINS")).toBe("60");
    expect(duration("THROTTLE_REGISTRATIONS")).toBe("3600");
    expect(duration("THROTTLE_MESSAGES")).toBe("10");
    expect(duration("THROTTLE_CONNECTIONS")).toBe("60");
  });

  it("messages are at most 4000 characters, passwords 8–72 bytes (README's Limits and Passwords)", () => {
    expect(LIMITS.contentMax).toBe(4000);
    expect(readme).toMatch(/messages are at most 4000\s+characters/);
    expect([LIMITS.passwordMinBytes, LIMITS.passwordMaxBytes]).toEqual([8, 72]);
    expect(readme).toContain("8–72 bytes");
  });
});

describe("CHATTERBOX_FAULT (test-only crash points)", () => {
  it("is read under NODE_ENV=test: a point, optionally how many passes to skip", () => {
    expect(loadServerConfig({ NODE_ENV: "test", CHATTERBOX_FAULT: "mid-batch" }, CWD).fault).toEqual({
      point: "mid-batch",
      skip: 0,
    });
    expect(loadServerConfig({ NODE_ENV: "test", CHATTERBOX_FAULT: "after-commit-before-ack:5" }, CWD).fault).toEqual({
      point: "after-commit-before-ack",
      skip: 5,
    });
    expect(loadServerConfig({ NODE_ENV: "test" }, CWD).fault).toBeUndefined();
  });

  it("an unknown point under NODE_ENV=test is refused, naming the variable", () => {
    expect(configError({ NODE_ENV: "test", CHATTERBOX_FAULT: "somewhere" }).message).toMatch(/CHATTERBOX_FAULT/);
    expect(configError({ NODE_ENV: "test", CHATTERBOX_FAULT: "mid-batch:x" }).message).toMatch(/CHATTERBOX_FAULT/);
  });

  it.each(["production", "development"])("is ignored under NODE_ENV=%s, whatever it holds", (mode) => {
    for (const value of ["mid-batch", "after-ack-before-broadcast:0", "not even valid"]) {
      expect(loadServerConfig({ NODE_ENV: mode, CHATTERBOX_FAULT: value }, CWD).fault).toBeUndefined();
    }
    expect(loadServerConfig({ CHATTERBOX_FAULT: "mid-batch" }, CWD).fault).toBeUndefined();
  });
});
