// What the quick switcher (Ctrl/Cmd+K) offers: the user's rooms and DMs in the sidebar's order, then the
// people they have no DM with yet, filtered by what is typed (names that start with it first).
import type { RoomSummary, UserSummary } from "../protocol";
import { dmHref, summaryHref } from "./routes";

export interface SwitcherItem {
  /** stable id for the listbox option */
  id: string;
  kind: "room" | "dm" | "person";
  /** the name matched and shown: a room's name or a username */
  name: string;
  href: string;
  private: boolean;
  unread: number;
  online?: boolean;
}

export function switcherItems(rooms: readonly RoomSummary[], users: readonly UserSummary[], me: string) {
  const online = new Map(users.map((u) => [u.username.toLowerCase(), u.online]));
  const items: SwitcherItem[] = rooms.map((r) => ({
    id: `c-${r.name}`,
    kind: r.peer ? "dm" : "room",
    name: r.peer ?? r.name,
    href: summaryHref(r),
    private: r.private && !r.peer,
    unread: r.unread,
    ...(r.peer ? { online: online.get(r.peer.toLowerCase()) ?? false } : {}),
  }));
  const talking = new Set(rooms.flatMap((r) => (r.peer ? [r.peer.toLowerCase()] : [])));
  const people = users
    .filter((u) => u.username.toLowerCase() !== me.toLowerCase() && !talking.has(u.username.toLowerCase()))
    .sort((a, b) => a.username.localeCompare(b.username));
  for (const u of people) {
    items.push({
      id: `p-${u.username}`,
      kind: "person",
      name: u.username,
      href: dmHref(u.username),
      private: false,
      unread: 0,
      online: u.online,
    });
  }
  return items;
}

/** The items whose name holds `query` (ignoring case, a leading # or @): those starting with it first. */
export function filterItems(items: readonly SwitcherItem[], query: string): SwitcherItem[] {
  const q = query.trim().replace(/^[#@]/, "").toLowerCase();
  if (q === "") return [...items];
  const starts = items.filter((i) => i.name.toLowerCase().startsWith(q));
  const contains = items.filter((i) => !i.name.toLowerCase().startsWith(q) && i.name.toLowerCase().includes(q));
  return [...starts, ...contains];
}
