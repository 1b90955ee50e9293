// The chat screen's timers (typing expiry, notices, read markers), kept in one place so that leaving the
// chat stops them all and nothing fires into a closed screen.
export class Timers {
  private readonly live = new Set<NodeJS.Timeout>();

  later(ms: number, fn: () => void): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.live.delete(timer);
      fn();
    }, ms);
    this.live.add(timer);
    return timer;
  }

  cancel(timer: NodeJS.Timeout | undefined): void {
    if (timer === undefined) return;
    clearTimeout(timer);
    this.live.delete(timer);
  }

  cancelAll(): void {
    for (const timer of this.live) clearTimeout(timer);
    this.live.clear();
  }
}
