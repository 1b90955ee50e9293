// Web Push storage: browsers' subscriptions and the server's VAPID key pair (kept as a ServerSecret).
import type { Db } from "./client";
import type { PushQueries, PushSubscriptionRecord } from "./data-layer";

const fields = { userId: true, endpoint: true, p256dh: true, auth: true } as const;

export function pushQueries(db: Db): PushQueries {
  return {
    async serverSecret(name, make) {
      const found = await db.serverSecret.findUnique({ where: { name } });
      if (found) return found.value;
      // upsert with an empty update: a concurrent first use keeps whichever row was written first
      const row = await db.serverSecret.upsert({ where: { name }, create: { name, value: make() }, update: {} });
      return row.value;
    },
    async saveSubscription(s: PushSubscriptionRecord) {
      await db.pushSubscription.upsert({
        where: { endpoint: s.endpoint },
        create: s,
        update: { userId: s.userId, p256dh: s.p256dh, auth: s.auth },
      });
    },
    async removeSubscription(userId, endpoint) {
      const { count } = await db.pushSubscription.deleteMany({ where: { userId, endpoint } });
      return count > 0;
    },
    async dropEndpoint(endpoint) {
      await db.pushSubscription.deleteMany({ where: { endpoint } });
    },
    async subscriberIds() {
      const rows = await db.pushSubscription.findMany({ distinct: ["userId"], select: { userId: true } });
      return rows.map((r) => r.userId);
    },
    subscriptionsOf: (userIds) => db.pushSubscription.findMany({ where: { userId: { in: userIds } }, select: fields }),
  };
}
