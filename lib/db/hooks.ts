// Incoming webhooks: a room, a name, and the hash of the secret in the hook's URL.
import type { Db } from "./client";
import type { HookQueries, HookRecord } from "./data-layer";

const fields = {
  id: true,
  name: true,
  roomId: true,
  createdById: true,
  createdAt: true,
  lastUsedAt: true,
  room: { select: { name: true } },
  createdBy: { select: { username: true } },
} as const;

type Row = {
  id: number;
  name: string;
  roomId: number;
  createdById: number;
  createdAt: Date;
  lastUsedAt: Date | null;
  room: { name: string };
  createdBy: { username: string };
};

const toHook = ({ room, createdBy, ...rest }: Row): HookRecord => ({
  ...rest,
  room: room.name,
  createdBy: createdBy.username,
});

export function hookQueries(db: Db): HookQueries {
  return {
    async createHook(h) {
      return toHook(await db.hook.create({ data: h, select: fields }));
    },
    async hooksOfMember(userId) {
      const rows = await db.hook.findMany({
        where: { room: { members: { some: { userId } } } },
        select: fields,
        orderBy: { id: "asc" },
      });
      return rows.map(toHook);
    },
    async findHook(id) {
      const row = await db.hook.findUnique({ where: { id }, select: fields });
      return row ? toHook(row) : null;
    },
    async findHookBySecret(secretHash) {
      const row = await db.hook.findUnique({ where: { secretHash }, select: fields });
      return row ? toHook(row) : null;
    },
    async deleteHook(id) {
      const { count } = await db.hook.deleteMany({ where: { id } });
      return count > 0;
    },
    async touchHook(id, at) {
      await db.hook.updateMany({ where: { id }, data: { lastUsedAt: at } });
    },
  };
}
