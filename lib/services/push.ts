// Web Push (RFC 8030, payloads encrypted per RFC 8291 aes128gcm, VAPID per RFC 8292) through the web-push
// library: the server's key, browsers' subscriptions, and one push per new message to each member with no
// socket open whose settings select it. Sending runs in a bounded background queue after the commit.
import { authorLabel } from "../text/author";
import type * as WebPush from "web-push";
import type { PushQueries, RoomQueries } from "../db/data-layer";
import { AppError } from "../errors";
import { checkPushEndpoint } from "../notify/endpoint-guard";
import type { Message, PushPayload, PushSubscriptionInput } from "../protocol";
import type { Identity } from "./auth";
import type { ChatEvents } from "./events";
import type { NotificationService } from "./notifications";
import { createJobQueue } from "./push-queue";

const BODY_MAX = 200;
/** a push a device has not fetched within a day is stale */
const TTL_SECONDS = 24 * 60 * 60;
const TIMEOUT_MS = 10_000;

/** who was away when a message was announced */
type AwayAtSend = { away: Set<number> } | { withSocket: Set<number> };

export interface PushDeps {
  push: PushQueries;
  rooms: RoomQueries;
  notifications: NotificationService;
  events: ChatEvents;
  /** whether the user has any socket open now (then the page notifies, not a push) */
  hasSocket: (userId: number) => boolean;
  /** everyone with a socket open now (a snapshot) */
  socketHolders: () => Set<number>;
  allowedOrigins: readonly string[];
  subject: string;
  log: (msg: string, err?: unknown) => void;
}

interface VapidKeys {
  publicKey: string;
  privateKey: string;
}

export const pushPayload = (m: Message): PushPayload => ({
  room: m.room,
  id: m.id,
  username: authorLabel(m),
  body: [...m.content].slice(0, BODY_MAX).join(""),
});

// web-push (and its crypto and HTTP dependencies) is loaded on the first push or key request, not at start-up
let loaded: Promise<typeof WebPush> | undefined;
// (CommonJS: Node's import finds only some of its names, so the module object is its default export)
const loadWebPush = (): Promise<typeof WebPush> =>
  (loaded ??= import("web-push").then((m) => (m as unknown as { default: typeof WebPush }).default));

export function createPushService(deps: PushDeps) {
  let keys: Promise<VapidKeys> | undefined;
  const vapid = (): Promise<VapidKeys> =>
    (keys ??= loadWebPush()
      .then((webpush) => deps.push.serverSecret("vapid", () => JSON.stringify(webpush.generateVAPIDKeys())))
      .then((v) => JSON.parse(v) as VapidKeys)
      .catch((err: unknown) => {
        keys = undefined;
        throw err;
      }));
  // who has a subscription at all, kept in memory: a message nobody could get a push for costs no query
  // (every change, in any process, is announced as `push:subscriptions` and drops it)
  let subscribers: Promise<Set<number>> | undefined;
  /** the last loaded set, read synchronously when a message is announced */
  let loaded: Set<number> | undefined;
  /** bumped by every change: a load that was under way when one came must not be kept */
  let generation = 0;
  const invalidate = () => {
    generation++;
    subscribers = undefined;
    loaded = undefined;
  };
  const subscriberSet = (): Promise<Set<number>> => {
    if (subscribers) return subscribers;
    const startedAt = generation;
    const load = deps.push.subscriberIds().then(
      (ids) => {
        const set = new Set(ids);
        if (startedAt === generation) loaded = set;
        return set;
      },
      (err: unknown) => {
        if (startedAt === generation) invalidate();
        throw err;
      },
    );
    subscribers = load;
    return load;
  };
  const queue = createJobQueue({ concurrency: 8, maxQueued: 10_000, onError: (e) => deps.log("push failed", e) });

  async function post(sub: { endpoint: string; p256dh: string; auth: string }, payload: string): Promise<void> {
    const { publicKey, privateKey } = await vapid();
    // the name may resolve elsewhere now than when it was subscribed
    await checkPushEndpoint(sub.endpoint, deps.allowedOrigins);
    const webpush = await loadWebPush();
    try {
      await webpush.sendNotification(
        { endpoint: sub.endpoint, keys: { p256dh: sub.p256dh, auth: sub.auth } },
        payload,
        {
          vapidDetails: { subject: deps.subject, publicKey, privateKey },
          TTL: TTL_SECONDS,
          timeout: TIMEOUT_MS,
          contentEncoding: "aes128gcm",
        },
      );
    } catch (err) {
      // RFC 8030: 404/410 mean the subscription is gone for good
      if (err instanceof webpush.WebPushError && (err.statusCode === 404 || err.statusCode === 410)) {
        await deps.push.dropEndpoint(sub.endpoint);
        deps.events.emit("push:subscriptions"); // that user may have no subscription left
        return;
      }
      throw err;
    }
  }

  /** who gets a push for `m`: members with no socket open whose settings select it */
  async function deliver(m: Message, authorName: string, atSend: AwayAtSend): Promise<void> {
    if ((await subscriberSet()).size === 0) return;
    const room = await deps.rooms.findRoom(m.room);
    if (!room) return;
    const members = await deps.rooms.members(room.id);
    const known = await subscriberSet();
    const away = members.filter(
      (u) =>
        u.username !== authorName &&
        known.has(u.userId) &&
        ("away" in atSend ? atSend.away.has(u.userId) : !atSend.withSocket.has(u.userId)),
    );
    const wanted: number[] = [];
    for (const u of away) if (await deps.notifications.wantsNotification(u, m)) wanted.push(u.userId);
    if (wanted.length === 0) return;
    const payload = JSON.stringify(pushPayload(m));
    for (const sub of await deps.push.subscriptionsOf(wanted)) queue.push(() => post(sub, payload));
  }

  // who is away is decided when the message is announced, not when its turn in the queue comes: among the
  // known subscribers, or (their set being reloaded after a change) from who has a socket now. Only the
  // process that stored the message sends its pushes (`originated`); sockets anywhere count (presence).
  const onMessage = (m: Message) => {
    const away: AwayAtSend = loaded
      ? { away: new Set([...loaded].filter((id) => !deps.hasSocket(id))) }
      : { withSocket: deps.socketHolders() };
    // a webhook's post notifies its maker too: it is the bot speaking, not them
    queue.push(() => deliver(m, m.bot ? "" : m.username, away));
  };
  deps.events.originated.on("message:created", onMessage);
  deps.events.on("push:subscriptions", invalidate);

  return {
    async publicKey(): Promise<string> {
      return (await vapid()).publicKey;
    },
    async subscribe(user: Identity, input: PushSubscriptionInput): Promise<void> {
      // what RFC 8291 needs: an uncompressed P-256 point and a 16-byte secret (web-push would throw later)
      const key = Buffer.from(input.keys.p256dh, "base64url");
      if (key.length !== 65 || key[0] !== 4)
        throw new AppError("invalid_input", "keys.p256dh must be a P-256 public key");
      if (Buffer.from(input.keys.auth, "base64url").length !== 16) {
        throw new AppError("invalid_input", "keys.auth must be 16 bytes");
      }
      await checkPushEndpoint(input.endpoint, deps.allowedOrigins);
      await deps.push.saveSubscription({ userId: user.userId, endpoint: input.endpoint, ...input.keys });
      deps.events.emit("push:subscriptions");
    },
    async unsubscribe(user: Identity, endpoint: string): Promise<void> {
      if (!(await deps.push.removeSubscription(user.userId, endpoint))) {
        throw new AppError("not_found", "No such push subscription");
      }
      deps.events.emit("push:subscriptions");
    },
    /** resolves once every queued push has been tried (tests, shutdown) */
    drained: () => queue.drained(),
    close(): void {
      deps.events.originated.off("message:created", onMessage);
      deps.events.off("push:subscriptions", invalidate);
      queue.clear();
    },
  };
}
export type PushService = ReturnType<typeof createPushService>;
