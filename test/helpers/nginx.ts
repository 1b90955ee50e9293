// Debian's nginx for tests (CI installs it, .ci/run): a config made of the given `http` blocks, in a temp
// prefix, on a free loopback port, in the foreground; stopped by its master's PID. Ready once a request
// through it reaches a Chatterbox server (`/api/health` answers 200).
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort } from "../../bench/lib/procs";

export const NGINX = ["/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx"].find((p) => existsSync(p));

export interface TestNginx {
  /** http://127.0.0.1:<port> */
  url: string;
  stop(): Promise<void>;
}

/** One ```nginx block of a doc: the lines between `# <marker> begin` and `# <marker> end`. */
export function documentedBlock(doc: URL, marker: string): string {
  const text = readFileSync(doc, "utf8");
  const body = new RegExp(`# ${marker} begin\\n([\\s\\S]*?)# ${marker} end`).exec(text)?.[1];
  if (!body) throw new Error(`${doc.pathname} lost its "# ${marker} begin/end" block`);
  return body;
}

/** `http`: what goes inside `http { }` besides the server block; `server`: the server block's directives */
export async function startNginx(opts: { http: string; server: string }): Promise<TestNginx> {
  if (!NGINX) {
    throw new Error(
      "nginx is not installed: this test runs the documented config with Debian's nginx. " +
        "Install it (apt-get install nginx; .ci/run does) and run again.",
    );
  }
  const prefix = mkdtempSync(path.join(tmpdir(), "chatterbox-nginx-"));
  mkdirSync(path.join(prefix, "temp"));
  const port = await freePort();
  const temp = (name: string) => `  ${name}_temp_path ${path.join(prefix, "temp", name)};`;
  writeFileSync(
    path.join(prefix, "nginx.conf"),
    [
      `pid ${path.join(prefix, "nginx.pid")};`,
      `error_log ${path.join(prefix, "error.log")} warn;`,
      "worker_processes 1;",
      "events { worker_connections 512; }",
      "http {",
      "  access_log off;",
      ...["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map(temp),
      opts.http,
      `server {\n  listen 127.0.0.1:${port};\n  server_name localhost;\n${opts.server}}`,
      "}",
    ].join("\n"),
  );
  let log = "";
  const nginx: ChildProcess = spawn(
    NGINX,
    ["-p", prefix, "-e", path.join(prefix, "error.log"), "-c", "nginx.conf", "-g", "daemon off;"],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  nginx.stderr?.setEncoding("utf8").on("data", (c: string) => (log += c));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (nginx.pid !== undefined && nginx.exitCode === null) {
      const exited = new Promise((resolve) => nginx.once("exit", resolve));
      process.kill(nginx.pid, "SIGTERM"); // the master we started, by its own PID
      await exited;
    }
    rmSync(prefix, { recursive: true, force: true });
  };
  for (let tries = 0; ; tries++) {
    const answered = await fetch(`${url}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (answered) break;
    if (tries > 100 || nginx.exitCode !== null) {
      await stop();
      throw new Error(`nginx did not come up:\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url, stop };
}
