// "* alice, bob came online": presence changes gathered for a moment and printed as one line per burst (a
// reconnecting office, a user reloading a tab), not a line each. A user who went offline and came back
// within the burst changed nothing and is left out; the server says nothing about second tabs at all.
import { sanitizeInline } from "../sanitize";
import type { TerminalChat } from "./context";

/**
 * A burst ends after this long without a change, and is told after at most BURST_MAX_MS in any case. Longer
 * than the server's grace before "offline" (1.5 s, lib/services/presence.ts) with a second to spare: a
 * script's connection (`chatterbox send` from cron) comes and goes within one burst and is not announced.
 */
const BURST_QUIET_MS = 2500;
const BURST_MAX_MS = 5000;
/** names spelled out in one line; the rest are counted */
const NAMES_MAX = 5;

/** `alice`, `alice and bob`, `alice, bob and carol`, `a, b, c, d, e and 3 others`. */
export function nameList(names: readonly string[], max = NAMES_MAX): string {
  const shown = names.slice(0, names.length > max ? max : names.length).map(sanitizeInline);
  const others = names.length - shown.length;
  if (others > 0) return `${shown.join(", ")} and ${others} other${others === 1 ? "" : "s"}`;
  if (shown.length <= 1) return shown.join("");
  return `${shown.slice(0, -1).join(", ")} and ${shown.at(-1) ?? ""}`;
}

/** The lines for one burst: who came online, who went offline (each in the order they changed). */
export function presenceLines(
  changes: ReadonlyMap<string, { name: string; before: boolean | undefined; now: boolean }>,
) {
  const changed = [...changes.values()].filter((c) => c.before !== c.now);
  const came = changed.filter((c) => c.now).map((c) => c.name);
  const went = changed.filter((c) => !c.now).map((c) => c.name);
  return [
    ...(came.length > 0 ? [`* ${nameList(came)} came online`] : []),
    ...(went.length > 0 ? [`* ${nameList(went)} went offline`] : []),
  ];
}

export class PresenceNotices {
  /** lower-case name → what was known before the burst, and the latest state in it */
  private readonly burst = new Map<string, { name: string; before: boolean | undefined; now: boolean }>();
  private timer: NodeJS.Timeout | undefined;
  private burstStarted = 0;

  constructor(private readonly chat: TerminalChat) {}

  /** A presence event (the caller has already recorded it: `before` is what was known until now). */
  changed(username: string, before: boolean | undefined, now: boolean): void {
    const key = username.toLowerCase();
    if (key === this.chat.me.toLowerCase()) return;
    const known = this.burst.get(key);
    this.burst.set(key, { name: username, before: known ? known.before : before, now });
    const { timers } = this.chat;
    if (this.timer === undefined) this.burstStarted = Date.now();
    timers.cancel(this.timer);
    const wait = Math.min(BURST_QUIET_MS, this.burstStarted + BURST_MAX_MS - Date.now());
    this.timer = timers.later(Math.max(0, wait), () => this.flush());
  }

  private flush(): void {
    this.timer = undefined;
    // someone first heard of coming online is news; first heard of going offline (never seen) is not
    for (const [key, c] of this.burst) if (c.before === undefined && !c.now) this.burst.delete(key);
    const lines = presenceLines(this.burst);
    this.burst.clear();
    for (const line of lines) this.chat.screen.info(line);
  }
}
