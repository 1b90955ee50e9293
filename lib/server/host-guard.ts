// Refuses requests and upgrades (HTTP, socket.io, /ws) whose Host is not a name this server answers to
// (lib/http/host.ts): 403 with a body naming the setting to change. Installed in front of every listener.
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import type { ServerConfig } from "../config";
import { requestHost } from "../http/client-address";
import { allowedHostNames, hostRefusal, isHostAllowed } from "../http/host";

type HostConfig = Pick<ServerConfig, "ALLOWED_HOSTS" | "ALLOWED_ORIGINS" | "HOST" | "TRUST_PROXY">;

export function guardHosts(server: Server, config: HostConfig): void {
  const allowed = allowedHostNames(config);
  const refused = (req: IncomingMessage): string | undefined => {
    const host = requestHost(req, config.TRUST_PROXY);
    return isHostAllowed(host, allowed) ? undefined : hostRefusal(host ?? "");
  };

  const requestListeners = server.listeners("request") as Array<(req: IncomingMessage, res: ServerResponse) => void>;
  server.removeAllListeners("request");
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const detail = refused(req);
    if (detail) {
      res.writeHead(403, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
      return void res.end(JSON.stringify({ detail }));
    }
    for (const listener of requestListeners) listener.call(server, req, res);
  });

  const upgradeListeners = server.listeners("upgrade") as Array<(req: IncomingMessage, s: Duplex, h: Buffer) => void>;
  server.removeAllListeners("upgrade");
  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const detail = refused(req);
    if (detail) {
      const body = JSON.stringify({ detail });
      return void socket.end(
        `HTTP/1.1 403 Forbidden\r\nContent-Type: application/json; charset=utf-8\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    }
    for (const listener of upgradeListeners) listener.call(server, req, socket, head);
  });
}
