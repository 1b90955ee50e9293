// What keeps a socket.io connection's upgrade request (its IncomingMessage, headers and parser state, about
// 1.3 KB) alive for as long as the connection, and letting go of it once the connection is admitted:
// - engine.io's Socket keeps it as `request` (socket.io's `socket.request` reads it there), used by nothing
//   after the handshake here: the auth middleware reads `socket.handshake`, which keeps its own references.
//   It is replaced by the few fields a later socket's handshake reads;
// - engine.io's upgrade handler makes a WebSocketResponse for HTTP middlewares (we register none: one added
//   with io.engine.use() that waits for the response's "close" would need afterEngine gone) that listens
//   for the TCP socket's "close", so that listener holds the request too.
// socket.io's documentation suggests the first (`rawSocket.request = null`, "Memory usage"); the second is
// the one listener engine.io adds to the socket while it handles the upgrade, and is removed only when it is
// exactly one, so that a later engine.io that adds more is left as it is.
import { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import type { TLSSocket } from "node:tls";

export function upgradeRequestRelease() {
  const closeListenersBefore = new WeakMap<Duplex, number>();
  return {
    /** prepended to the server's "upgrade" listeners: runs before engine.io's */
    beforeEngine(this: void, _req: IncomingMessage, socket: Duplex): void {
      closeListenersBefore.set(socket, socket.listenerCount("close"));
    },
    /** in an "upgrade" listener added after engine.io's, for its path */
    afterEngine(socket: Duplex): void {
      const before = closeListenersBefore.get(socket);
      closeListenersBefore.delete(socket);
      if (before === undefined) return;
      const added = socket.rawListeners("close").slice(before);
      if (added.length === 1) socket.removeListener("close", added[0] as (...args: unknown[]) => void);
    },
    /**
     * Once the socket.io connection is admitted (its middleware has read the handshake): the request gives way
     * to what socket.io's handshake reads of it, should the client open another socket on this connection.
     * Nothing here reads `socket.request` beyond that.
     */
    admitted(conn: { request: IncomingMessage }): void {
      const req = conn.request as IncomingMessage & { _query?: unknown };
      if (!(req instanceof IncomingMessage)) return; // a second socket on the connection: done already
      const handshakeView = {
        headers: req.headers,
        url: req.url,
        _query: req._query,
        connection: { encrypted: (req.socket as Partial<TLSSocket>).encrypted === true },
      };
      conn.request = handshakeView as unknown as IncomingMessage;
    },
  };
}
export type UpgradeRequestRelease = ReturnType<typeof upgradeRequestRelease>;
