// Profiles (display name, status, avatar) and the password, through Prisma: all rare writes. Message reads
// take the display name and avatar from the User and Avatar tables themselves (message-selects.ts).
import type { Db } from "./client";
import type { ProfileQueries, StoredProfile } from "./data-layer";
import { deleteOtherSessions } from "./sessions";

const profileFields = {
  username: true,
  displayName: true,
  statusText: true,
  avatar: { select: { id: true } },
} as const;

function toProfile<T extends Omit<StoredProfile, "avatarId">>({
  avatar,
  ...p
}: T & { avatar: { id: string } | null }): Omit<T, "avatar"> & { avatarId: string | null } {
  return { ...p, avatarId: avatar?.id ?? null };
}

export function profileQueries(db: Db): ProfileQueries {
  return {
    async profile(userId) {
      const row = await db.user.findUnique({ where: { id: userId }, select: { ...profileFields, createdAt: true } });
      return row ? toProfile(row) : null;
    },
    async updateProfile(userId, change) {
      const row = await db.user.update({ where: { id: userId }, data: change, select: profileFields });
      return toProfile(row);
    },
    async setAvatar(userId, { id, large, small }) {
      const images = { large: Buffer.from(large), small: Buffer.from(small) };
      // a new id per upload: the old URL (cached for ever by browsers) stops answering
      await db.$transaction([
        db.avatar.deleteMany({ where: { userId } }),
        db.avatar.create({ data: { id, userId, ...images } }),
      ]);
    },
    async removeAvatar(userId) {
      const { count } = await db.avatar.deleteMany({ where: { userId } });
      return count > 0;
    },
    async avatarImage(id, size) {
      const row = await db.avatar.findUnique({ where: { id }, select: { [size]: true } });
      return (row as Partial<Record<typeof size, Uint8Array>> | null)?.[size] ?? null;
    },
    async passwordHash(userId) {
      const row = await db.user.findUnique({ where: { id: userId }, select: { passwordHash: true } });
      return row?.passwordHash ?? null;
    },
    setPassword(userId, passwordHash, keepSessionId) {
      return db.$transaction(async (tx) => {
        await tx.user.update({ where: { id: userId }, data: { passwordHash } });
        return deleteOtherSessions(tx, userId, keepSessionId);
      });
    },
  };
}
