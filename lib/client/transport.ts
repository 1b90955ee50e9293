// How the client core reaches a server: a socket factory and the REST functions. The browser uses its own
// origin and the session cookie; the terminal client (and tests in Node) a server URL and a token.
import { io } from "socket.io-client";
import { SOCKET_PATH } from "../protocol";
import type { ChatCoreOptions } from "./chat-core";
import { createHttp, type Http } from "./http";

export interface ClientTransport {
  openSocket: ChatCoreOptions["openSocket"];
  http: Http;
}

/** The page's own server, authenticated by its HttpOnly session cookie. */
export function browserTransport(): ClientTransport {
  return {
    openSocket: (auth) => io({ path: SOCKET_PATH, withCredentials: true, autoConnect: false, auth }),
    http: createHttp({ baseUrl: "" }),
  };
}

/** A server by URL with a bearer token, over WebSocket only (no long-polling from a terminal). */
export function tokenTransport(
  serverUrl: string,
  token: string,
  options: { cleanDetail?: (detail: string) => string } = {},
): ClientTransport {
  const url = new URL(serverUrl);
  return {
    openSocket: (auth) =>
      io(url.origin, {
        path: `${url.pathname.replace(/\/+$/, "")}${SOCKET_PATH}`,
        transports: ["websocket"],
        autoConnect: false,
        reconnectionDelayMax: 5_000,
        // a connection of its own, even beside another client of the same server in one process
        forceNew: true,
        auth: (cb) => auth((data) => cb({ token, ...data })),
      }),
    http: createHttp({ baseUrl: serverUrl, token, ...options }),
  };
}
