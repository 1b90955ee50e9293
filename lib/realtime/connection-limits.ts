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
  transport: TransportName;
  close(): void;
}

export function createUserSocketLimit({ maxPerUser, logger, counters }: UserSocketLimitOptions) {
  // a Set keeps insertion order: the first entry is the oldest socket
  const byUser = new Map<number, Set<Entry>>();

  return {
    /** Counts a newly opened socket; `close` is how to close it if it becomes the oldest one too many. */
    admit(userId: number, transport: TransportName, close: () => void): () => void {
      let sockets = byUser.get(userId);
      if (!sockets) byUser.set(userId, (sockets = new Set()));
      const entry: Entry = { transport, close };
      sockets.add(entry);
      while (sockets.size > maxPerUser) {
        const oldest = sockets.values().next().value as Entry;
        sockets.delete(oldest);
        counters.socketsOverUserCap++;
        logger.warn({ userId, transport: oldest.transport, max: maxPerUser }, "too many sockets: closed the oldest");
        oldest.close();
      }
      return () => {
        sockets.delete(entry);
        if (sockets.size === 0 && byUser.get(userId) === sockets) byUser.delete(userId);
      };
    },
    /** open sockets of a user (tests) */
    count(userId: number): number {
      return byUser.get(userId)?.size ?? 0;
    },
  };
}
export type UserSocketLimit = ReturnType<typeof createUserSocketLimit>;
