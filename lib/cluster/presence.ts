// Presence across processes, healing after a process dies. Each process keeps its own users in Redis
// under an id of its own, kept alive by a heartbeat with a TTL — never shared counters, which a SIGKILL
// would leave wrong for good:
//   <prefix>procs          SET of process ids (pruned by whoever finds one dead)
//   <prefix>alive:<proc>   the process's change number, expiring TTL_MS after its last heartbeat
//   <prefix>users:<proc>   HASH user id → username of the users with a socket there (same expiry)
// A change is written there and announced to the other processes (socket.io's serverSideEmit) with its
// number; they apply it when it is the next one they expect, and otherwise read the whole hash. Every
// heartbeat they also look for processes that died (alive key expired: their users go offline) or whose
// change they missed. After Redis lost its data (a restart) a process announces itself afresh, under a
// new id; right after any reconnect nobody is declared dead until every process had time to do so.
import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import type { Logger } from "../logger";
import type { PresenceElsewhere } from "../services/presence";

export const HEARTBEAT_MS = 1000;
export const TTL_MS = 4000;

/** one change in one process's users, as announced to the others */
export interface PresenceDelta {
  proc: string;
  seq: number;
  userId: number;
  username: string;
  online: boolean;
}

export interface ClusterPresenceDeps {
  redis: Redis;
  logger: Logger;
  prefix: string;
  /** this process's users now (lib/services/presence localUsers) */
  localUsers(): Map<number, string>;
  /** the other processes' users changed for these; `gone`: because their process died */
  changed(users: Map<number, string>, gone: boolean): void;
  /** tells the other processes (serverSideEmit) */
  broadcast(delta: PresenceDelta): void;
}

interface Mirror {
  seq: number;
  users: Map<number, string>;
}

export function createClusterPresence(deps: ClusterPresenceDeps) {
  const { redis, prefix } = deps;
  const procsKey = `${prefix}procs`;
  const aliveKey = (proc: string) => `${prefix}alive:${proc}`;
  const usersKey = (proc: string) => `${prefix}users:${proc}`;
  let me = randomUUID();
  /** the change number Redis will give this process's next change */
  let expected = 1;
  /** set when this process's record in Redis may not match its users: the next heartbeat rewrites it */
  let stale = true;
  let readySince = Date.now();
  const others = new Map<string, Mirror>();

  const fail = (what: string) => (err: unknown) => deps.logger.debug({ err }, `presence: ${what} failed`);

  /** whether Redis may still hold this process's record (then it is rewritten under the same id) */
  let announced = false;

  /**
   * Writes this process's whole record. Under the same id while Redis kept it (its change number only grows,
   * so the others read the whole record again); under a new id when Redis lost it (expired, or Redis
   * restarted empty), since the others may still hold a higher number for the old one.
   */
  async function announce(): Promise<void> {
    const users = deps.localUsers();
    const tx = redis.multi().del(usersKey(me));
    if (users.size > 0) tx.hset(usersKey(me), Object.fromEntries(users));
    tx.pexpire(usersKey(me), TTL_MS).incr(aliveKey(me)).pexpire(aliveKey(me), TTL_MS).sadd(procsKey, me);
    const replies = await tx.exec();
    const seq = Number(replies?.[users.size > 0 ? 3 : 2]?.[1]);
    if (seq === 1 && announced) {
      const old = me;
      me = randomUUID();
      announced = false;
      await redis.multi().del(aliveKey(old), usersKey(old)).srem(procsKey, old).exec();
      return announce();
    }
    announced = true;
    expected = seq + 1;
    stale = false;
  }

  function announceChange(userId: number, username: string, online: boolean): void {
    if (stale) return; // the next heartbeat writes the whole record
    const proc = me;
    const seqWanted = expected++;
    const tx = redis.multi();
    if (online) tx.hset(usersKey(proc), String(userId), username);
    else tx.hdel(usersKey(proc), String(userId));
    tx.incr(aliveKey(proc)).pexpire(aliveKey(proc), TTL_MS).pexpire(usersKey(proc), TTL_MS);
    tx.exec().then(
      (replies) => {
        const seq = Number(replies?.[1]?.[1]);
        // a number other than the one expected: the record expired or was lost meanwhile
        if (seq !== seqWanted || proc !== me) return void (stale = true);
        deps.broadcast({ proc, seq, userId, username, online });
      },
      (err: unknown) => {
        stale = true;
        fail("announcing a change")(err);
      },
    );
  }

  /** replaces what is known of `proc` with what Redis holds; the user ids that changed */
  function replace(proc: string, next: Mirror | undefined, changed: Map<number, string>): void {
    const before = others.get(proc)?.users ?? new Map<number, string>();
    const after = next?.users ?? new Map<number, string>();
    for (const [id, name] of before) if (!after.has(id)) changed.set(id, name);
    for (const [id, name] of after) if (!before.has(id)) changed.set(id, name);
    if (next) others.set(proc, next);
    else others.delete(proc);
  }

  async function fetch(proc: string, changed: Map<number, string>): Promise<void> {
    const replies = await redis.multi().hgetall(usersKey(proc)).get(aliveKey(proc)).exec();
    const hash = (replies?.[0]?.[1] ?? {}) as Record<string, string>;
    const seq = replies?.[1]?.[1];
    if (seq === null || seq === undefined) return;
    const known = others.get(proc);
    if (known && known.seq > Number(seq)) return; // a newer change arrived meanwhile
    const users = new Map(Object.entries(hash).map(([id, name]) => [Number(id), name] as [number, string]));
    replace(proc, { seq: Number(seq), users }, changed);
  }

  async function heartbeat(): Promise<void> {
    if (stale) await announce();
    const replies = await redis
      .multi()
      .pexpire(aliveKey(me), TTL_MS)
      .pexpire(usersKey(me), TTL_MS)
      .smembers(procsKey)
      .exec();
    if (replies?.[0]?.[1] !== 1) {
      stale = true; // expired (a stall longer than the TTL) or lost (Redis restarted empty): a new id
      return;
    }
    const procs = ((replies[2]?.[1] ?? []) as string[]).filter((p) => p !== me);
    const seqs = procs.length > 0 ? await redis.mget(procs.map(aliveKey)) : [];
    const changed = new Map<number, string>();
    const dead: string[] = [];
    await Promise.all(
      procs.map(async (proc, i) => {
        const seq = seqs[i];
        if (seq === null || seq === undefined) return void dead.push(proc);
        const known = others.get(proc);
        if (!known || known.seq < Number(seq)) await fetch(proc, changed);
      }),
    );
    // nobody is declared dead right after a reconnect: every process first gets the time to announce again
    const gone = new Map<number, string>();
    if (Date.now() - readySince >= TTL_MS) {
      const live = new Set(procs.filter((p) => !dead.includes(p)));
      for (const proc of others.keys()) if (!live.has(proc)) replace(proc, undefined, gone);
      if (dead.length > 0) await redis.srem(procsKey, ...dead);
    }
    if (changed.size > 0) deps.changed(changed, false);
    if (gone.size > 0) deps.changed(gone, true);
  }

  let beating = false;
  const timer = setInterval(() => {
    if (beating) return;
    beating = true;
    heartbeat()
      .catch(fail("heartbeat"))
      .finally(() => (beating = false));
  }, HEARTBEAT_MS);
  timer.unref();

  const view: PresenceElsewhere = {
    has: (userId) => [...others.values()].some((m) => m.users.has(userId)),
    userIds: () => new Set([...others.values()].flatMap((m) => [...m.users.keys()])),
    announce: announceChange,
  };

  return {
    view,
    /** a change announced by another process */
    onDelta(d: PresenceDelta): void {
      const known = others.get(d.proc);
      if (known && d.seq === known.seq + 1) {
        known.seq = d.seq;
        if (d.online) known.users.set(d.userId, d.username);
        else known.users.delete(d.userId);
        return deps.changed(new Map([[d.userId, d.username]]), false);
      }
      if (known && d.seq <= known.seq) return; // already read with the whole hash
      const changed = new Map<number, string>();
      fetch(d.proc, changed).then(() => changed.size > 0 && deps.changed(changed, false), fail("reading a process"));
    },
    /** Redis is reachable again: announce afresh, and give the others time to do the same */
    recovered(): void {
      readySince = Date.now();
      stale = true;
    },
    /** first announcement (the heartbeat would do it within a second) */
    start: () => announce().catch(fail("announcing")),
    /**
     * Stops the heartbeat. The record is left to expire (TTL_MS) rather than removed: this process's clients
     * reconnect to another one meanwhile, and their users do not flash offline everywhere.
     */
    close(): void {
      clearInterval(timer);
    },
  };
}
export type ClusterPresence = ReturnType<typeof createClusterPresence>;
