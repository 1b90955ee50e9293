// What the tab shows when something calls for the user: a "(N) " title prefix and a favicon with a count,
// N being unread mentions plus unread direct messages (Slack's and Mattermost's rule). Pure, for tests.
import type { RoomSummary } from "../protocol";

/** Unread mentions in rooms plus every unread message in DMs (the server counts a DM's unread as mentions). */
export function attentionCount(rooms: readonly RoomSummary[]): number {
  return rooms.reduce((n, r) => n + (r.kind === "dm" ? Math.max(r.unread, r.mentions) : r.mentions), 0);
}

const PREFIX = /^\(\d+\+?\) /;

const shown = (count: number) => (count > 99 ? "99+" : String(count));

/** `title` with its count prefix replaced (or removed, at 0): applying it twice changes nothing. */
export function titleWithCount(title: string, count: number): string {
  const base = title.replace(PREFIX, "");
  return count > 0 ? `(${shown(count)}) ${base}` : base;
}

/** The app icon (app/icon.svg) with a red disc and the count in its corner, as an SVG data URL. */
export function badgedIconUrl(count: number): string {
  const text = count > 9 ? "9+" : String(count);
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">` +
    `<rect width="64" height="64" rx="14" fill="#3b5bdb"/>` +
    `<path d="M16 20h32a4 4 0 0 1 4 4v14a4 4 0 0 1-4 4H30l-9 7v-7h-5a4 4 0 0 1-4-4V24a4 4 0 0 1 4-4z" fill="#fff"/>` +
    `<circle cx="46" cy="18" r="18" fill="#e03131" stroke="#fff" stroke-width="3"/>` +
    `<text x="46" y="26" font-family="Arial,sans-serif" font-size="${text.length > 1 ? 19 : 24}" ` +
    `font-weight="700" fill="#fff" text-anchor="middle">${text}</text></svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}
