// The same room layout on either server: `rooms` rooms of `membersPerRoom` clients, one user per client.
import type { RunningServer } from "./servers";
import { mapLimit, RawClient, SioClient, type LoadClient } from "./clients";
import type { LoadRoom } from "./load";
import { seedUsers, type SeededUser } from "./seed";

export interface Layout {
  rooms: number;
  membersPerRoom: number;
}

export interface Built {
  rooms: LoadRoom[];
  clients: LoadClient[];
  close(): void;
}

type AckResult = { ok: boolean; error?: { detail: string } };

function check(ack: AckResult, what: string): void {
  if (!ack.ok) throw new Error(`${what} refused: ${ack.error?.detail ?? "?"}`);
}

/** Seeds the users, connects one socket.io client each, creates the rooms (room:create) and joins them (room:join). */
export async function chatterboxLayout(
  server: Pick<RunningServer, "url" | "databasePath">,
  layout: Layout,
  prefix: string,
): Promise<Built & { users: SeededUser[] }> {
  const users = seedUsers(server.databasePath, { prefix, count: layout.rooms * layout.membersPerRoom });
  const clients = await mapLimit(users, 32, (u) => SioClient.connect(server.url, u.token));
  const built = { clients, close: () => clients.forEach((c) => c.close()) };
  try {
    const rooms: LoadRoom[] = [];
    for (let r = 0; r < layout.rooms; r++) {
      const name = `${prefix}-room-${r}`;
      const members = clients.slice(r * layout.membersPerRoom, (r + 1) * layout.membersPerRoom);
      check(await members[0]!.request<AckResult>("room:create", { name }), "room:create");
      await mapLimit(members.slice(1), 16, async (c) =>
        check(await c.request<AckResult>("room:join", { room: name }), "room:join"),
      );
      rooms.push({ name, members });
    }
    return { ...built, rooms, users };
  } catch (err) {
    built.close();
    throw err;
  }
}

/** The same layout on the raw ws broadcast server. */
export async function rawLayout(url: string, layout: Layout, prefix: string): Promise<Built> {
  const rooms: LoadRoom[] = [];
  const clients: LoadClient[] = [];
  try {
    for (let r = 0; r < layout.rooms; r++) {
      const name = `${prefix}-room-${r}`;
      const members = await mapLimit(
        Array.from({ length: layout.membersPerRoom }, (_, i) => i),
        32,
        () => RawClient.connect(url, name),
      );
      clients.push(...members);
      rooms.push({ name, members });
    }
  } catch (err) {
    clients.forEach((c) => c.close());
    throw err;
  }
  return { rooms, clients, close: () => clients.forEach((c) => c.close()) };
}
