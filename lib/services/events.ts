// In-process domain events that transports subscribe to. Fan-out across several server processes goes
// through socket.io's Redis adapter instead; this bus only links services to this process's transports.
import { EventEmitter } from "node:events";
import type { Message, ReadMarker, UserProfile } from "../protocol";

export interface ChatEventMap {
  /** a message was stored for the first time */
  "message:created": [Message];
  /** a stored message was edited, deleted or its reactions changed (after the commit): its whole state */
  "message:updated": [Message];
  /** a session was revoked (logout): its sockets must close */
  "session:revoked": [sessionId: number];
  /** a user entered or left a room: their sockets follow */
  membership: [{ userId: number; username: string; room: string; joined: boolean }];
  /** a user's read marker moved: all their sockets update the unread count */
  read: [{ userId: number } & ReadMarker];
  /** a user's first socket opened, or their last one closed (after a grace period) */
  presence: [{ userId: number; username: string; online: boolean }];
  /** a user's display name, status or avatar changed: every socket hears it */
  "user:updated": [UserProfile];
}

export class ChatEvents extends EventEmitter<ChatEventMap> {}
