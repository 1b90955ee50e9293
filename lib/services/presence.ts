// Who is online: a user is online while any of their sockets is open. The last socket closing starts a
// short grace period, so a page reload does not flash "offline" to everyone.
import type { UserQueries } from "../db/data-layer";
import type { UserSummary } from "../protocol";
import type { Identity } from "./auth";
import { toUserProfile } from "./profiles";
import type { ChatEvents } from "./events";

export function createPresence(deps: { users: UserQueries; events: ChatEvents; graceMs?: number }) {
  const graceMs = deps.graceMs ?? 1500;
  const open = new Map<number, number>();
  const leaving = new Map<number, NodeJS.Timeout>();

  return {
    connected(user: Identity): void {
      const wasOnline = open.has(user.userId) || leaving.has(user.userId);
      clearTimeout(leaving.get(user.userId));
      leaving.delete(user.userId);
      open.set(user.userId, (open.get(user.userId) ?? 0) + 1);
      if (!wasOnline) deps.events.emit("presence", { userId: user.userId, username: user.username, online: true });
    },

    disconnected(user: Identity): void {
      const left = (open.get(user.userId) ?? 1) - 1;
      if (left > 0) {
        open.set(user.userId, left);
        return;
      }
      open.delete(user.userId);
      const timer = setTimeout(() => {
        leaving.delete(user.userId);
        deps.events.emit("presence", { userId: user.userId, username: user.username, online: false });
        deps.users.setLastSeen(user.userId, new Date()).catch(() => undefined);
      }, graceMs);
      timer.unref();
      leaving.set(user.userId, timer);
    },

    isOnline: (userId: number): boolean => open.has(userId) || leaving.has(userId),
    /** users online now (as isOnline counts them) */
    onlineCount: (): number => open.size + leaving.size,
    /** a socket is open now (no grace period): a user without one gets Web Push instead */
    hasSocket: (userId: number): boolean => open.has(userId),
    /** who has a socket open now: a copy */
    socketHolders: (): Set<number> => new Set(open.keys()),

    async list(): Promise<UserSummary[]> {
      const all = await deps.users.listUsers();
      return all.map((u) => {
        const online = open.has(u.id) || leaving.has(u.id);
        const lastSeen = online ? null : (u.lastSeenAt?.toISOString() ?? null);
        const summary: UserSummary = { ...toUserProfile(u), online, lastSeen };
        return u.deactivatedAt ? { ...summary, deactivated: true } : summary;
      });
    },

    close(): void {
      for (const t of leaving.values()) clearTimeout(t);
      leaving.clear();
      open.clear();
    },
  };
}
export type Presence = ReturnType<typeof createPresence>;
