// The mix of operations a chat sees (issue 11): mostly new messages, with a share of edits and of reaction
// changes on messages already sent. ChangeMix decides which operation the n-th one is (deterministic, spread
// evenly, the shares exact in the long run) and picks its target: an edit takes one of the sender's own messages (only the author may
// edit), a reaction any message of the room, added by that member if not there yet, else taken back — so
// every change really changes the message and is broadcast once. A message with a change in flight is not
// picked again until it is released, so a `message:updated` of that id is unambiguous.
import { BENCH_CONTENT, mapLimit, type ChangeOp, type LoadClient } from "./clients";

export type OpKind = "send" | "edit" | "reaction";

export interface ChangeShares {
  /** fraction of all operations that are edits (0.1 = 10 %) */
  edits: number;
  /** fraction that add or remove a reaction */
  reactions: number;
}

export const DEFAULT_SHARES: ChangeShares = { edits: 0.1, reactions: 0.1 };
const EMOJI = "👍";

/** 1/φ: n·(1/φ) mod 1 is the most evenly spread sequence in [0, 1), so every short run has its share */
const GOLDEN = 0.6180339887498949;
/** targets kept per room and per author: enough to spread changes, bounded over a long run */
const POOL_MAX = 256;

export class ChangeMix {
  /** acked messages of each room, oldest picked first */
  private readonly byRoom = new Map<string, number[]>();
  /** acked messages of each author */
  private readonly byAuthor = new Map<LoadClient, number[]>();
  /** ids with a change in flight */
  private readonly busy = new Set<number>();
  /** `${id} ${member index}`: that member's reaction is on that message */
  private readonly reacted = new Set<string>();
  private readonly memberIndex = new Map<LoadClient, number>();
  private edits = 0;

  constructor(readonly shares: ChangeShares = DEFAULT_SHARES) {}

  /** What the `n`-th operation (0-based) is. */
  kindAt(n: number): OpKind {
    const x = (n * GOLDEN) % 1;
    if (x < this.shares.edits) return "edit";
    return x < this.shares.edits + this.shares.reactions ? "reaction" : "send";
  }

  /** A stored message (from its send's ack): a target for later changes. */
  record(room: string, author: LoadClient, id: number): void {
    let inRoom = this.byRoom.get(room);
    if (!inRoom) this.byRoom.set(room, (inRoom = []));
    inRoom.push(id);
    let own = this.byAuthor.get(author);
    if (!own) this.byAuthor.set(author, (own = []));
    own.push(id);
    for (const pool of [inRoom, own]) if (pool.length > POOL_MAX) pool.shift();
    if (!this.memberIndex.has(author)) this.memberIndex.set(author, this.memberIndex.size);
  }

  /** The change `actor` makes next, its target marked busy; undefined when no target is free. */
  take(kind: Exclude<OpKind, "send">, room: string, actor: LoadClient): ChangeOp | undefined {
    const pool = kind === "edit" ? this.byAuthor.get(actor) : this.byRoom.get(room);
    const id = pool && this.rotate(pool);
    if (id === undefined) return undefined;
    this.busy.add(id);
    if (kind === "edit") return { kind: "edit", id, content: `${BENCH_CONTENT} (edit ${++this.edits})` };
    if (!this.memberIndex.has(actor)) this.memberIndex.set(actor, this.memberIndex.size);
    const key = `${id} ${this.memberIndex.get(actor)!}`;
    const had = this.reacted.has(key);
    if (had) this.reacted.delete(key);
    else this.reacted.add(key);
    return { kind: had ? "unreact" : "react", id, emoji: EMOJI };
  }

  /** The change of `id` is over (delivered everywhere, or acked): it may be picked again. */
  release(id: number): void {
    this.busy.delete(id);
  }

  /** Every member of every room sends one acked message, so each has a message of its own to edit. */
  async seed(rooms: { name: string; members: LoadClient[] }[]): Promise<void> {
    const jobs = rooms.flatMap((room) => room.members.map((member) => ({ room: room.name, member })));
    await mapLimit(
      jobs,
      64,
      ({ room, member }) =>
        new Promise<void>((resolve, reject) =>
          member.sendChat(room, crypto.randomUUID(), (ok, id) => {
            if (!ok || id === undefined) return reject(new Error(`seeding the change mix: a send to ${room} failed`));
            this.record(room, member, id);
            resolve();
          }),
        ),
    );
  }

  /** The oldest id of `pool` not busy, moved to the back (each message is changed in turn). */
  private rotate(pool: number[]): number | undefined {
    for (let i = 0; i < pool.length; i++) {
      const id = pool[i]!;
      if (this.busy.has(id)) continue;
      pool.splice(i, 1);
      pool.push(id);
      return id;
    }
    return undefined;
  }
}
