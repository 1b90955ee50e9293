// Web Push from the browser's side: the service worker (public/sw.js) registered, this browser subscribed with
// the server's VAPID key and the subscription given to the server; undone when the user turns it off.
import type { Http } from "../client/http";
import { pushSubscriptionSchema, type PushSubscriptionInput } from "../protocol";
import { base64UrlToBytes } from "./notify";

type PushHttp = Pick<Http, "pushKey" | "addPushSubscription" | "removePushSubscription">;

const WORKER_URL = "/sw.js";

/** Whether this browser has what Web Push needs (a secure context, service workers, PushManager). */
export function pushSupported(): boolean {
  return (
    typeof window !== "undefined" &&
    window.isSecureContext &&
    "serviceWorker" in navigator &&
    typeof window.PushManager === "function"
  );
}

async function registration(): Promise<ServiceWorkerRegistration> {
  await navigator.serviceWorker.register(WORKER_URL);
  return navigator.serviceWorker.ready;
}

/** The subscription's JSON as the server takes it (a browser without the keys cannot be used). */
function asInput(subscription: PushSubscription): PushSubscriptionInput {
  const parsed = pushSubscriptionSchema.safeParse(subscription.toJSON());
  if (!parsed.success) throw new Error("the browser's push subscription has no encryption keys");
  return parsed.data;
}

const sameKey = (a: ArrayBuffer | null, b: Uint8Array) =>
  a !== null && a.byteLength === b.byteLength && new Uint8Array(a).every((x, i) => x === b[i]);

/**
 * Subscribes this browser (reusing its subscription when made with the server's current key) and gives the
 * subscription to the server. Throws when the browser has no push service or the server refuses.
 */
export async function enablePush(http: PushHttp): Promise<void> {
  const reg = await registration();
  const key = base64UrlToBytes(await http.pushKey());
  let subscription = await reg.pushManager.getSubscription();
  if (subscription && !sameKey(subscription.options.applicationServerKey, key)) {
    // made for another key (the server's database was replaced): the push service would refuse our posts
    await subscription.unsubscribe();
    subscription = null;
  }
  subscription ??= await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
  await http.addPushSubscription(asInput(subscription));
}

/** Ends this browser's subscription, here and on the server; nothing to do when there is none. */
export async function disablePush(http: PushHttp): Promise<void> {
  if (!pushSupported()) return;
  const reg = await navigator.serviceWorker.getRegistration(WORKER_URL);
  const subscription = await reg?.pushManager.getSubscription();
  if (!subscription) return;
  const { endpoint } = subscription;
  await subscription.unsubscribe();
  // the server may hold none there (a 404): this browser's side is what matters, and it is gone
  await http.removePushSubscription(endpoint).catch(() => undefined);
}

/** Whether this browser holds a push subscription now (the worker registered and subscribed). */
export async function hasPushSubscription(): Promise<boolean> {
  if (!pushSupported()) return false;
  const reg = await navigator.serviceWorker.getRegistration(WORKER_URL);
  return Boolean(await reg?.pushManager.getSubscription());
}
