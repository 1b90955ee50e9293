// A progress bar on stderr for long reads (export). On a terminal it redraws one line; otherwise (a log, a
// pipe) it prints a plain line at every tenth of the way, so logs stay readable.
const WIDTH = 30;

export class Progress {
  private lastTenth = -1;
  private readonly tty: boolean;

  constructor(
    private readonly label: string,
    private readonly out: NodeJS.WriteStream = process.stderr,
  ) {
    this.tty = Boolean(out.isTTY);
  }

  /** `fraction` of the way (0–1, clamped), `done` items so far. */
  update(fraction: number, done: number): void {
    const f = Math.min(Math.max(fraction, 0), 1);
    const percent = Math.floor(f * 100);
    if (this.tty) {
      const filled = Math.round(f * WIDTH);
      this.out.write(`\r${this.label} [${"#".repeat(filled)}${"-".repeat(WIDTH - filled)}] ${percent}% ${done}`);
      return;
    }
    const tenth = Math.floor(f * 10);
    if (tenth === this.lastTenth) return;
    this.lastTenth = tenth;
    this.out.write(`${this.label} ${percent}% (${done})\n`);
  }

  /** The closing line. */
  finish(summary: string): void {
    this.out.write(this.tty ? `\r\u001b[K${summary}\n` : `${summary}\n`);
  }
}
