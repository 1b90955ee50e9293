// Who is online: a user is online while any of their sockets is open, in this process or (scaled out) in
// any other live one. The last socket here closing starts a short grace period, so a page reload does not
// flash "offline" to everyone. Each process works out the `presence` events for its own sockets from that
// cluster-wide view, so every process tells the same story without relaying them.
import type { UserQueries } from "../db/data-layer";
import type { UserSummary } from "../protocol";
import type { Identity } from "./auth";
import { toUserProfile } from "./profiles";
import type { ChatEvents } from "./events";

/** The other processes' sockets (lib/cluster); absent in a single process. */
export interface PresenceElsewhere {
  /** whether another live process holds a socket of the user (or is in its grace period) */
  has(userId: number): boolean;
  userIds(): Iterable<number>;
  /** tells the other processes that this process now holds (or no longer holds) a socket of the user */
  announce(userId: number, username: string, online: boolean): void;
}

export interface PresenceDeps {
  users: UserQueries;
  events: ChatEvents;
  graceMs?: number;
  elsewhere?: PresenceElsewhere;
}

export function createPresence(deps: PresenceDeps) {
  const graceMs = deps.graceMs ?? 1500;
  let elsewhere = deps.elsewhere;
  const open = new Map<number, number>();
  const leaving = new Map<number, NodeJS.Timeout>();
  /** the users this process's sockets were last told are online */
  const told = new Set<number>();
  /** the names of the users with a socket here (or in their grace period) */
  const names = new Map<number, string>();

  const here = (userId: number) => open.has(userId) || leaving.has(userId);
  const online = (userId: number) => here(userId) || (elsewhere?.has(userId) ?? false);
  const lastSeen = (userId: number) => deps.users.setLastSeen(userId, new Date()).catch(() => undefined);

  /** tells this process's sockets of a change in the cluster-wide view, once */
  function recheck(userId: number, username: string): boolean {
    const now = online(userId);
    if (now === told.has(userId)) return false;
    if (now) told.add(userId);
    else told.delete(userId);
    deps.events.emit("presence", { userId, username, online: now });
    return true;
  }

  return {
    connected(user: Identity): void {
      const wasHere = here(user.userId);
      clearTimeout(leaving.get(user.userId));
      leaving.delete(user.userId);
      open.set(user.userId, (open.get(user.userId) ?? 0) + 1);
      names.set(user.userId, user.username);
      if (!wasHere) elsewhere?.announce(user.userId, user.username, true);
      recheck(user.userId, user.username);
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
        names.delete(user.userId);
        elsewhere?.announce(user.userId, user.username, false);
        if (recheck(user.userId, user.username)) void lastSeen(user.userId);
      }, graceMs);
      timer.unref();
      leaving.set(user.userId, timer);
    },

    /** lib/cluster: what other processes hold changed for these users (`gone`: their process died) */
    elsewhereChanged(users: Iterable<[userId: number, username: string]>, gone = false): void {
      for (const [userId, username] of users) {
        if (recheck(userId, username) && gone && !told.has(userId)) void lastSeen(userId);
      }
    },
    /** lib/cluster, once it is up: the other processes' sockets */
    setElsewhere(view: PresenceElsewhere): void {
      elsewhere = view;
    },
    /** the users with a socket here (or in their grace period), for lib/cluster to announce */
    localUsers(): Map<number, string> {
      return new Map(names);
    },

    isOnline: online,
    /** users online now (as isOnline counts them) */
    onlineCount: (): number => told.size,
    /** a socket is open now, here or elsewhere (no grace period here): a user without one gets Web Push instead */
    hasSocket: (userId: number): boolean => open.has(userId) || (elsewhere?.has(userId) ?? false),
    /** who has a socket open now: a copy */
    socketHolders: (): Set<number> => new Set([...open.keys(), ...(elsewhere?.userIds() ?? [])]),

    async list(): Promise<UserSummary[]> {
      const all = await deps.users.listUsers();
      return all.map((u) => {
        const isOnline = online(u.id);
        const seen = isOnline ? null : (u.lastSeenAt?.toISOString() ?? null);
        const summary: UserSummary = { ...toUserProfile(u), online: isOnline, lastSeen: seen };
        return u.deactivatedAt ? { ...summary, deactivated: true } : summary;
      });
    },

    close(): void {
      for (const t of leaving.values()) clearTimeout(t);
      leaving.clear();
      open.clear();
      told.clear();
      names.clear();
    },
  };
}
export type Presence = ReturnType<typeof createPresence>;
