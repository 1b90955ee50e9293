// Upload rows through Prisma (not the hot path: one upload, one access check, one sweep at a time). Attaching
// files to a message, and detaching a deleted message's, happen in the message writer's transaction
// (upload-rows.ts).
import type { Db } from "./client";
import type { UploadQueries } from "./data-layer";

export function uploadQueries(db: Db): UploadQueries {
  return {
    createUpload: (u) => db.upload.create({ data: u }),
    findUpload: (id) => db.upload.findUnique({ where: { id } }),
    findUploads: (ids) => db.upload.findMany({ where: { id: { in: ids } } }),
    async bytesOf(userId) {
      const { _sum } = await db.upload.aggregate({ where: { userId }, _sum: { size: true } });
      return _sum.size ?? 0;
    },
    async deleteUnsentBefore(before) {
      const { count } = await db.upload.deleteMany({ where: { messageId: null, createdAt: { lt: before } } });
      return count;
    },
    async referencedHashes() {
      const rows = await db.upload.findMany({ distinct: ["hash"], select: { hash: true } });
      return new Set(rows.map((r) => r.hash));
    },
  };
}
