// For tests that drive the real CLI against a real server: spawn `cli/bin.mjs` in non-TTY mode (see the
// comment at the top of cli/main.ts), feed stdin lines, wait for stdout lines.
//
//   const cli = spawnCli({ server, username: "alice", password: "password123", register: true, configHome });
//   await cli.waitForLine((l) => l === CONNECTED_LINE);
//   cli.send("hello");
//   await cli.waitForLine((l) => parseMessageLine(l)?.content === "hello");
//   const { code } = await cli.end();
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import readline from "node:readline";
import { fileURLToPath } from "node:url";

export { CONNECTED_LINE, parseMessageLine, type ParsedMessageLine } from "../../cli/render";

/** Absolute path of the `chatterbox` executable (run it with `process.execPath`). */
export const CLI_BIN = fileURLToPath(new URL("../../cli/bin.mjs", import.meta.url));

export interface SpawnCliOptions {
  server: string;
  username?: string;
  /** passed as CHATTERBOX_PASSWORD */
  password?: string;
  register?: boolean;
  /** XDG_CONFIG_HOME for the child: tokens go to <configHome>/chatterbox/credentials.json */
  configHome?: string;
  args?: string[];
  env?: NodeJS.ProcessEnv;
}

export interface CliProcess {
  child: ChildProcessWithoutNullStreams;
  /** every stdout line so far */
  readonly lines: string[];
  /** stderr so far */
  stderr(): string;
  /** write one line to the client's stdin (it is sent as a message) */
  send(line: string): void;
  /**
   * Resolves with the first stdout line at index ≥ `fromLine` (past or future) matching `predicate`;
   * pass `cli.lines.length` to wait only for lines still to come (e.g. the `connected` of a reconnect).
   */
  waitForLine(predicate: (line: string) => boolean, timeoutMs?: number, fromLine?: number): Promise<string>;
  /** close stdin and wait for the exit code (the client first delivers pending lines) */
  end(timeoutMs?: number): Promise<{ code: number | null; lines: string[]; stderr: string }>;
  kill(): void;
}

export function spawnCli(options: SpawnCliOptions): CliProcess {
  const args = [CLI_BIN, "--server", options.server];
  if (options.username !== undefined) args.push("--username", options.username);
  if (options.register) args.push("--register");
  args.push(...(options.args ?? []));
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env, NO_COLOR: "1" };
  if (options.password !== undefined) env.CHATTERBOX_PASSWORD = options.password;
  if (options.configHome !== undefined) env.XDG_CONFIG_HOME = options.configHome;

  const child = spawn(process.execPath, args, { env, stdio: ["pipe", "pipe", "pipe"] });
  const lines: string[] = [];
  let stderr = "";
  const waiters = new Set<{ predicate: (line: string) => boolean; resolve: (line: string) => void }>();
  readline.createInterface({ input: child.stdout }).on("line", (line) => {
    lines.push(line);
    for (const waiter of waiters) {
      if (waiter.predicate(line)) {
        waiters.delete(waiter);
        waiter.resolve(line);
      }
    }
  });
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));

  const withTimeout = <T>(promise: Promise<T>, ms: number, what: string) =>
    new Promise<T>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(`timed out after ${ms} ms waiting for ${what}\nstdout:\n${lines.join("\n")}\nstderr:\n${stderr}`),
          ),
        ms,
      );
      promise.then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (err: unknown) => {
          clearTimeout(timer);
          reject(err instanceof Error ? err : new Error(String(err)));
        },
      );
    });

  return {
    child,
    lines,
    stderr: () => stderr,
    send(line) {
      child.stdin.write(`${line}\n`);
    },
    waitForLine(predicate, timeoutMs = 10_000, fromLine = 0) {
      const past = lines.slice(fromLine).find(predicate);
      if (past !== undefined) return Promise.resolve(past);
      const found = new Promise<string>((resolve) => waiters.add({ predicate, resolve }));
      const exitedFirst = exited.then((code) => {
        throw new Error(`the client exited (code ${code}) first\nstdout:\n${lines.join("\n")}\nstderr:\n${stderr}`);
      });
      return withTimeout(Promise.race([found, exitedFirst]), timeoutMs, "a matching stdout line");
    },
    async end(timeoutMs = 15_000) {
      child.stdin.end();
      const code = await withTimeout(exited, timeoutMs, "the client to exit");
      return { code, lines, stderr };
    },
    kill() {
      child.kill("SIGKILL");
    },
  };
}

export interface CliRun {
  code: number | null;
  /** stdout, split into lines (no trailing empty line) */
  lines: string[];
  stderr: string;
}

/**
 * Runs one `chatterbox` command to completion (a scripting subcommand): `args` as given, `stdin` written and
 * closed, XDG_CONFIG_HOME at `configHome`. Rejects if it has not exited within `timeoutMs`.
 */
export function runCli(
  args: string[],
  opts: { configHome: string; stdin?: string; env?: Record<string, string | undefined>; timeoutMs?: number },
): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", XDG_CONFIG_HOME: opts.configHome, ...opts.env };
  delete env.CHATTERBOX_TOKEN;
  if (opts.env?.CHATTERBOX_TOKEN !== undefined) env.CHATTERBOX_TOKEN = opts.env.CHATTERBOX_TOKEN;
  const child = spawn(process.execPath, [CLI_BIN, ...args], { env, stdio: ["pipe", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  child.stdin.end(opts.stdin ?? "");
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`chatterbox ${args.join(" ")} did not exit\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    }, opts.timeoutMs ?? 30_000);
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, lines: stdout.split("\n").filter((l, i, all) => l !== "" || i < all.length - 1), stderr });
    });
  });
}
