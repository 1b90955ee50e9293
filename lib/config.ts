// The one place environment variables are read and validated. Server, route handlers and CLI import it;
// a bad value stops start-up with a message naming the variable, never a stack trace later.
import path from "node:path";
import proxyaddr from "proxy-addr";
import { z } from "zod";

const port = z.coerce.number().int().min(0).max(65_535);
const seconds = z.coerce.number().int().positive();
const positiveInt = z.coerce.number().int().positive();

function compilesAsProxies(list: string[]): boolean {
  try {
    if (list.length > 0) proxyaddr.compile(list);
    return true;
  } catch {
    return false;
  }
}

const serverEnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  HOST: z.string().min(1).default("127.0.0.1"),
  PORT: port.default(8000),
  DATABASE_URL: z
    .string()
    .regex(
      /^(file:.+|postgres(ql)?:\/\/.+)/,
      "must be a SQLite URL such as file:./data/chatterbox.db or a PostgreSQL URL such as postgresql://chat@db.internal/chat",
    )
    .default("file:./data/chatterbox.db"),
  /** connections each process keeps to PostgreSQL (ignored on SQLite) */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(2, "must be at least 2").max(1000).default(10),
  /**
   * Redis that links several server processes into one (socket.io's adapter, events, throttles, presence);
   * unset: one process on its own
   */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\/\S+$/, "must be a Redis URL such as redis://127.0.0.1:6379")
    .pipe(z.url("must be a Redis URL such as redis://127.0.0.1:6379"))
    .optional(),
  /** seconds a session lives without use; every use slides it forward */
  SESSION_TTL: seconds.default(60 * 60 * 24 * 30),
  BCRYPT_COST: z.coerce.number().int().min(10, "must be at least 10").max(15, "must be at most 15").default(12),
  /** extra origins (comma separated) whose pages may open sockets and POST; the server's own always may */
  ALLOWED_ORIGINS: z
    .string()
    .default("")
    .transform((s) =>
      s
        .split(",")
        .map((o) => o.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.url("each entry must be an origin like https://chat.example.com"))),
  /**
   * host names (comma separated) this server answers to besides localhost, *.localhost and IP addresses
   * (DNS rebinding protection); `*.example.com` allows every subdomain. ALLOWED_ORIGINS' hosts count too.
   */
  ALLOWED_HOSTS: z
    .string()
    .default("")
    .transform((s) =>
      s
        .split(",")
        .map((h) => h.trim().toLowerCase().replace(/\.$/, ""))
        .filter(Boolean),
    )
    .pipe(
      z.array(
        z
          .string()
          .regex(
            /^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/,
            "each entry must be a host name like chat.example.com or *.example.com (no scheme, no port)",
          ),
      ),
    ),
  /** origins (comma separated) of self-hosted push services on private addresses that Web Push may post to */
  PUSH_ALLOWED_ORIGINS: z
    .string()
    .default("")
    .transform((s) =>
      s
        .split(",")
        .map((o) => o.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.url("each entry must be an origin like https://push.internal:8443")))
    .transform((list) => list.map((o) => new URL(o).origin)),
  /** the VAPID `sub` claim: how a push service can reach the operator (mailto: or https:) */
  VAPID_SUBJECT: z
    .string()
    .regex(/^(mailto:|https:\/\/)\S+$/, "must be a mailto: or https: URL")
    .default("mailto:admin@chatterbox.invalid"),
  THROTTLE_LOGINS: z.coerce.number().int().positive().default(10),
  THROTTLE_REGISTRATIONS: z.coerce.number().int().positive().default(20),
  THROTTLE_MESSAGES: z.coerce.number().int().positive().default(60),
  THROTTLE_CONNECTIONS: z.coerce.number().int().positive().default(300),
  /**
   * The reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are believed: comma-separated addresses or
   * CIDR ranges (or proxy-addr's names: loopback, linklocal, uniquelocal), `true` for this machine's loopback
   * (a proxy on the same host), `false` (the default) for none.
   */
  TRUST_PROXY: z
    .string()
    .default("false")
    .transform((s) => s.trim().toLowerCase())
    .transform((s) =>
      ["false", "0", "no", "off", ""].includes(s)
        ? []
        : ["true", "1", "yes", "on"].includes(s)
          ? ["loopback"]
          : s
              .split(",")
              .map((a) => a.trim())
              .filter(Boolean),
    )
    .pipe(
      z.array(
        z.union([z.enum(["loopback", "linklocal", "uniquelocal"]), z.ipv4(), z.ipv6(), z.cidrv4(), z.cidrv6()], {
          error: "must be true, false, or comma-separated IP addresses or CIDR ranges of the proxies",
        }),
      ),
    )
    // what client-address.ts will compile; proxy-addr also refuses a /0 range, which zod lets through
    .refine(compilesAsProxies, { error: "a CIDR range's prefix must be at least 1 (/0 would trust everyone)" }),
  /** bytes queued for one socket (not yet taken by its client) past which the server cuts it off */
  SLOW_CLIENT_MAX_BYTES: positiveInt.default(1024 * 1024),
  /** milliseconds a socket may keep an outbound backlog before it is cut off */
  SLOW_CLIENT_MAX_MS: positiveInt.default(10_000),
  /** open sockets (both transports) per user; a new one beyond it closes that user's oldest */
  MAX_SOCKETS_PER_USER: positiveInt.default(50),
  /** open TCP connections in all; beyond it a request is answered 503 with Retry-After */
  MAX_CONNECTIONS: positiveInt.default(10_000),
  /** time a client has to send a request's headers */
  HEADERS_TIMEOUT_MS: positiveInt.default(10_000),
  /** time a client has to send a whole request (headers and body) */
  REQUEST_TIMEOUT_MS: positiveInt.default(30_000),
  /** how long an idle keep-alive connection is kept open between requests */
  KEEPALIVE_TIMEOUT_MS: positiveInt.default(60_000),
  /** delete messages older than this many days (daily, in small batches); unset keeps everything */
  RETENTION_DAYS: positiveInt.optional(),
  /** bytes an avatar upload may have (the image is then resized to 256 and 64 px) */
  AVATAR_MAX_BYTES: positiveInt.default(5 * 1024 * 1024),
  /** Bearer token GET /metrics requires; unset, /metrics answers loopback clients only */
  METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  /** who may register: anyone, holders of an admin's invite, or nobody (an admin's choice in /admin overrides it) */
  REGISTRATION: z.enum(["open", "invite", "closed"], { error: "must be open, invite or closed" }).default("open"),
  /** where uploaded files are kept; default: an `uploads` directory beside the database file */
  UPLOAD_DIR: z.string().min(1).optional(),
  /** the largest file one upload may be (bytes); a larger body is refused with 413 while it streams */
  UPLOAD_MAX_BYTES: positiveInt.default(26_214_400),
  /** bytes of uploads one user may keep in all (each upload counted, duplicates too); 0 for no quota */
  UPLOAD_QUOTA_BYTES: z.coerce.number().int().min(0).default(1_073_741_824),
  /** images with more pixels than this are kept as plain files, never decoded (decompression bombs) */
  UPLOAD_MAX_PIXELS: positiveInt.default(50_000_000),
  /** seconds an upload may stay unsent before the sweep removes it */
  UPLOAD_UNSENT_TTL: seconds.default(24 * 60 * 60),
  /** seconds between two sweeps of unsent uploads and unreferenced blobs */
  UPLOAD_SWEEP_INTERVAL: seconds.default(60 * 60),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

/** Where a test may have the server kill itself (SIGKILL), to prove what survives a crash at that point. */
export const FAULT_POINTS = ["after-commit-before-ack", "after-ack-before-broadcast", "mid-batch"] as const;
export type FaultPoint = (typeof FAULT_POINTS)[number];

/** The point, and how many times it is passed harmlessly before the crash (`mid-batch:3`: at the fourth). */
export interface FaultSpec {
  point: FaultPoint;
  skip: number;
}

// read only when NODE_ENV=test: in any other mode the variable is ignored, whatever it holds
const faultEnvSchema = z.object({
  CHATTERBOX_FAULT: z
    .string()
    .regex(
      new RegExp(`^(${FAULT_POINTS.join("|")})(:\\d+)?$`),
      `must be one of ${FAULT_POINTS.join(", ")}, optionally :N`,
    )
    .transform((s): FaultSpec => {
      const [point, skip] = s.split(":");
      return { point: point as FaultPoint, skip: Number(skip ?? 0) };
    })
    .optional(),
});

export type ServerConfig = Omit<z.infer<typeof serverEnvSchema>, "DATABASE_URL" | "UPLOAD_DIR"> & {
  /** absolute `file:` URL of the SQLite file, or the PostgreSQL URL as given */
  DATABASE_URL: string;
  /** absolute path of the SQLite file; null on PostgreSQL */
  databasePath: string | null;
  /** absolute path of the upload directory */
  uploadDir: string;
  /** CHATTERBOX_FAULT, honoured only under NODE_ENV=test (undefined otherwise) */
  fault: FaultSpec | undefined;
};

/** The environment as a plain map (Next's typing of process.env makes NODE_ENV mandatory). */
export type Env = Record<string, string | undefined>;

export class ConfigError extends Error {
  override name = "ConfigError";
}

function parse<S extends z.ZodType>(schema: S, env: Env): z.infer<S> {
  // `PORT=` (set but empty) means "not set": the default applies instead of a coerced 0
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ""));
  const result = schema.safeParse(present);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  return result.data;
}

/** postgresql:// or postgres:// (both spellings libpq accepts) */
export const isPostgresUrl = (url: string): boolean => /^postgres(ql)?:\/\//.test(url);

/** The SQLite file a server config names, or a clear error where only SQLite will do (backup, bench). */
export function sqlitePathOf(config: Pick<ServerConfig, "databasePath">, what: string): string {
  if (config.databasePath === null) throw new ConfigError(`${what} works on a SQLite database (DATABASE_URL=file:…)`);
  return config.databasePath;
}

export function loadServerConfig(env: Env = process.env, cwd = process.cwd()): ServerConfig {
  const parsed = parse(serverEnvSchema, env);
  const fault = parsed.NODE_ENV === "test" ? parse(faultEnvSchema, env).CHATTERBOX_FAULT : undefined;
  if (isPostgresUrl(parsed.DATABASE_URL)) {
    // every process must see the same files: on PostgreSQL (several processes) UPLOAD_DIR is a shared volume
    const uploadDir = path.resolve(cwd, parsed.UPLOAD_DIR ?? path.join("data", "uploads"));
    return { ...parsed, databasePath: null, uploadDir, fault };
  }
  const databasePath = path.resolve(cwd, parsed.DATABASE_URL.slice("file:".length));
  const uploadDir = path.resolve(cwd, parsed.UPLOAD_DIR ?? path.join(path.dirname(databasePath), "uploads"));
  return { ...parsed, DATABASE_URL: `file:${databasePath}`, databasePath, uploadDir, fault };
}

const cliEnvSchema = z.object({
  CHATTERBOX_URL: z.url("must be a URL such as http://127.0.0.1:8000").default("http://127.0.0.1:8000"),
  /** the terminal bell on a new mention: on (default) or off */
  CHATTERBOX_BELL: z
    .enum(["on", "off", "1", "0", "true", "false"], { error: "must be on or off" })
    .default("on")
    .transform((v) => ["on", "1", "true"].includes(v)),
  /** a Bearer token (a login token or a personal access token) used instead of the stored login */
  CHATTERBOX_TOKEN: z.string().trim().optional(),
  /** where the token is kept; default follows XDG */
  XDG_CONFIG_HOME: z.string().optional(),
  HOME: z.string().optional(),
});

export interface CliConfig {
  serverUrl: string;
  bell: boolean;
  configDir: string;
  /** CHATTERBOX_TOKEN (empty counts as unset) */
  token?: string;
}

export function loadCliConfig(env: Env = process.env, serverOverride?: string): CliConfig {
  const parsed = parse(cliEnvSchema, serverOverride ? { ...env, CHATTERBOX_URL: serverOverride } : env);
  // XDG says an empty value counts as unset
  const base = parsed.XDG_CONFIG_HOME || path.join(parsed.HOME ?? ".", ".config");
  return {
    serverUrl: parsed.CHATTERBOX_URL.replace(/\/+$/, ""),
    bell: parsed.CHATTERBOX_BELL,
    configDir: path.join(base, "chatterbox"),
    ...(parsed.CHATTERBOX_TOKEN ? { token: parsed.CHATTERBOX_TOKEN } : {}),
  };
}
