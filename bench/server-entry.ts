// The server under test: Chatterbox's services, socket.io + /ws (createRealtime) and the real route handlers
// on a plain node:http server — server.ts without Next, so no build is needed (see docs/BENCHMARKS.md).
// Configured from the environment like server.ts (loadServerConfig); prints `LISTENING <url>` once it
// accepts connections. Bench-only endpoint: GET /__bench/memory runs a full GC (when started with
// --expose-gc) and answers process.memoryUsage(). SIGTERM / SIGINT close it cleanly.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { GET as health } from "@/app/api/health/route";
import { POST as login } from "@/app/api/login/route";
import { POST as logout } from "@/app/api/logout/route";
import { GET as messages } from "@/app/api/messages/route";
import { POST as register } from "@/app/api/register/route";
import { GET as rooms } from "@/app/api/rooms/route";
import { GET as status } from "@/app/api/status/route";
import { GET as users } from "@/app/api/users/route";
import { ConfigError, loadServerConfig } from "@/lib/config";
import { CLIENT_IP_HEADER } from "@/lib/http/respond";
import { seedRoute } from "@/lib/http/seed-routes";
import { createLogger } from "@/lib/logger";
import { createRealtime } from "@/lib/realtime";
import { installRuntime } from "@/lib/runtime";
import { createServices } from "@/lib/services";
import { LISTENING_PREFIX } from "./lib/procs";

type RouteHandler = (req: Request) => Response | Promise<Response>;

const ROUTES: Record<string, RouteHandler> = {
  "GET /api/status": status,
  "GET /api/health": health,
  "POST /api/register": register,
  "POST /api/login": login,
  "POST /api/logout": logout,
  "GET /api/messages": messages,
  "GET /api/rooms": rooms,
  "GET /api/users": users,
};

async function toRequest(req: IncomingMessage, base: string): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) {
    if (Array.isArray(v)) v.forEach((x) => headers.append(k, x));
    else if (v !== undefined) headers.set(k, v);
  }
  const body = chunks.length && req.method !== "GET" && req.method !== "HEAD" ? Buffer.concat(chunks) : undefined;
  return new Request(new URL(req.url ?? "/", base), { method: req.method ?? "GET", headers, body });
}

async function sendResponse(res: ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((v, k) => {
    headers[k] = k === "set-cookie" ? response.headers.getSetCookie() : v;
  });
  res.writeHead(response.status, headers);
  res.end(Buffer.from(await response.arrayBuffer()));
}

function memory(res: ServerResponse): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
  res.writeHead(200, { "content-type": "application/json" });
  res.end(JSON.stringify({ gc: Boolean(gc), ...process.memoryUsage() }));
}

async function main(): Promise<void> {
  const config = loadServerConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const services = await createServices(config);
  installRuntime({ services, config });

  const httpServer = createServer((req, res) => {
    req.headers[CLIENT_IP_HEADER] = req.socket.remoteAddress ?? "unknown";
    req.url = seedRoute(req.method, req.url, req.headers.accept) ?? req.url;
    const pathname = (req.url ?? "/").split("?")[0];
    if (req.method === "GET" && pathname === "/__bench/memory") return memory(res);
    const handler = ROUTES[`${req.method} ${pathname}`];
    if (!handler) {
      res.writeHead(404).end();
      return;
    }
    toRequest(req, `http://${req.headers.host}`)
      .then(handler)
      .then((response) => sendResponse(res, response))
      .catch((err: unknown) => {
        logger.error({ err }, "request failed");
        if (!res.headersSent) res.writeHead(500).end();
      });
  });
  const realtime = createRealtime(httpServer, { services, config, logger });
  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(config.PORT, config.HOST, resolve);
  });
  const address = httpServer.address();
  const port = typeof address === "object" && address ? address.port : config.PORT;
  process.stdout.write(`${LISTENING_PREFIX}http://${config.HOST}:${port}\n`);

  let stopping = false;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(1), 5000).unref();
    httpServer.closeAllConnections();
    realtime
      .close()
      .then(() => services.close())
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  };
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
}

main().catch((err: unknown) => {
  process.stderr.write(
    `${err instanceof ConfigError ? err.message : err instanceof Error ? (err.stack ?? "") : String(err)}\n`,
  );
  process.exit(1);
});
