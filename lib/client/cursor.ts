// What the client has seen of the server's stream: each message's id and seq, the newest id (sent as
// `lastMessageId`) and the highest seq (sent as `since`). It sorts what arrives into messages new to the
// client and changes to messages it already has, each handed over once, and drops stale copies.
import type { Message } from "../protocol";

const KEPT = 20_000;

export interface Sorted {
  /** not seen before and newer than everything the stream delivered: ascending by id */
  fresh: Message[];
  /** a newer state (seq) of a message seen before, or a change to an older message: ascending by seq */
  changed: Message[];
}

export class Cursor {
  /** id → the highest seq seen of it */
  private readonly seen = new Map<number, number>();
  private newestId: number | undefined;
  private highestSeq: number | undefined;

  get lastMessageId(): number | undefined {
    return this.newestId;
  }

  get since(): number | undefined {
    return this.highestSeq;
  }

  has(id: number): boolean {
    return this.seen.has(id);
  }

  /**
   * Sorts a batch and moves the cursor past it. From the stream, a message not seen with an id at or below
   * the newest id is an older message that changed (an edit or a reaction while away): a change, not news.
   * A page asked for (`loaded`: a room's latest messages) is news wherever its ids fall.
   */
  take(batch: readonly Message[], loaded = false): Sorted {
    const fresh: Message[] = [];
    const changed: Message[] = [];
    const newestBefore = this.newestId;
    for (const message of [...batch].sort((a, b) => a.seq - b.seq)) {
      const known = this.seen.get(message.id);
      if (known !== undefined && message.seq <= known) continue; // a copy of what we have
      this.seen.set(message.id, message.seq);
      const news = loaded || newestBefore === undefined || message.id > newestBefore;
      if (known === undefined && news) fresh.push(message);
      else changed.push(message);
      if (this.newestId === undefined || message.id > this.newestId) this.newestId = message.id;
      if (this.highestSeq === undefined || message.seq > this.highestSeq) this.highestSeq = message.seq;
    }
    this.forgetOld();
    return { fresh: fresh.sort((a, b) => a.id - b.id), changed };
  }

  /**
   * Counts messages shown some other way (a page) as seen, without moving the cursor: only the socket's
   * own stream advances it, so a reconnect never skips what is still on its way.
   */
  markSeen(messages: readonly Message[]): void {
    for (const m of messages) this.seen.set(m.id, Math.max(m.seq, this.seen.get(m.id) ?? 0));
    this.forgetOld();
  }

  private forgetOld(): void {
    let excess = this.seen.size - KEPT;
    for (const id of this.seen.keys()) {
      if (excess-- <= 0) break;
      this.seen.delete(id);
    }
  }
}
