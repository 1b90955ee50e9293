// What keeps a socket.io connection's upgrade request (its IncomingMessage, headers and parser state, about
// 1.3 KB) alive for as long as the connection, and letting go of it once the connection is admitted:
// - engine.io's Socket keeps it as `request` (socket.io's `socket.request` reads it there), used by nothing
//   after the handshake here: the auth middleware reads `socket.handshake`, which keeps its own references;
// - engine.io's upgrade handler makes a WebSocketResponse for HTTP middlewares (we register none) that listens
//   for the TCP socket's "close", so that listener holds the request too.
// socket.io's documentation suggests the first (`rawSocket.request = null`, "Memory usage"); the second is
// the one listener engine.io adds to the socket while it handles the upgrade, and is removed only when it is
// exactly one, so that a later engine.io that adds more is left as it is.
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";

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
    /** once the socket.io connection is admitted (its middleware has read the handshake) */
    admitted(conn: { request: IncomingMessage | null }): void {
      conn.request = null;
    },
  };
}
export type UpgradeRequestRelease = ReturnType<typeof upgradeRequestRelease>;
