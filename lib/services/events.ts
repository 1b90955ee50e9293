// In-process domain events that transports subscribe to. Fan-out across several server processes goes
// through socket.io's Redis adapter instead; this bus only links services to this process's transports.
import { EventEmitter } from "node:events";
import type { Message } from "../protocol";

interface EventMap {
  /** a message was stored for the first time */
  "message:created": [Message];
  /** a session was revoked (logout): its sockets must close */
  "session:revoked": [sessionId: number];
}

export class ChatEvents extends EventEmitter<EventMap> {}
