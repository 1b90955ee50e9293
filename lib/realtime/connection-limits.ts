// MAX_SOCKETS_PER_USER: the open sockets of each user, both transports together, oldest first. A socket
// beyond the cap closes that user's oldest (a forgotten tab, a client that never hung up), never the new one.
import type { Logger } from "../logger";
import type { Counters } from "../server/counters";
import type { TransportName } from "./backpressure";

export interface UserSocketLimitOptions {
  maxPerUser: number;
  logger: Logger;
  counters: Counters;
}

interface Entry {
  userId: number;
  transport: TransportName;
  /** the socket, handed to `close` */
  target: object;
  close: (target: object) => void;
}

export function createUserSocketLimit({ maxPerUser, logger, counters }: UserSocketLimitOptions) {
  // a Set keeps insertion order: the first entry is the oldest socket
  const byUser = new Map<number, Set<Entry>>();
  const ofTarget = new WeakMap<object, Entry>();

  return {
    /**
     * Counts a newly opened socket. `close(target)` closes it if it becomes the oldest one too many: one
     * function for all the sockets of a transport, so a connection holds only its entry here.
     */
    admit<T extends object>(userId: number, transport: TransportName, target: T, close: (target: T) => void): void {
      let sockets = byUser.get(userId);
      if (!sockets) byUser.set(userId, (sockets = new Set()));
      const entry: Entry = { userId, transport, target, close: close as (target: object) => void };
      sockets.add(entry);
      ofTarget.set(target, entry);
      while (sockets.size > maxPerUser) {
        const oldest = sockets.values().next().value as Entry;
        sockets.delete(oldest);
        counters.socketsOverUserCap++;
        logger.warn({ userId, transport: oldest.transport, max: maxPerUser }, "too many sockets: closed the oldest");
        oldest.close(oldest.target);
      }
    },
    /** a socket admitted before has closed (again: nothing) */
    release(target: object): void {
      const entry = ofTarget.get(target);
      if (!entry) return;
      ofTarget.delete(target);
      const sockets = byUser.get(entry.userId);
      if (!sockets) return;
      sockets.delete(entry);
      if (sockets.size === 0) byUser.delete(entry.userId);
    },
    /** open sockets of a user (tests) */
    count(userId: number): number {
      return byUser.get(userId)?.size ?? 0;
    },
  };
}
export type UserSocketLimit = ReturnType<typeof createUserSocketLimit>;
