// Chatterbox's service worker: shows a Web Push (payload {room, id, username, body}, see SPEC.md "Mentions
// and notifications") as a notification, and on click focuses a Chatterbox tab on that message, or opens one.
/* eslint-env serviceworker */
"use strict";

/** the page of the message: /r/<room>?m=<id>, or /dm/<sender>?m=<id> for a direct message */
function messageUrl(p) {
  const place = p.room.startsWith("dm:") ? `/dm/${encodeURIComponent(p.username)}` : `/r/${encodeURIComponent(p.room)}`;
  return `${place}?m=${encodeURIComponent(String(p.id))}`;
}

self.addEventListener("push", (event) => {
  let p;
  try {
    p = event.data ? event.data.json() : null;
  } catch {
    p = null;
  }
  if (!p || typeof p.room !== "string" || typeof p.username !== "string") return;
  const title = p.room.startsWith("dm:") ? p.username : `${p.username} in #${p.room}`;
  event.waitUntil(
    self.registration.showNotification(title, {
      body: typeof p.body === "string" ? p.body : "",
      icon: "/icon.svg",
      // one notification per conversation, the newest replacing the older, still announced
      tag: `chatterbox:${p.room}`,
      renotify: true,
      data: { url: messageUrl(p) },
    }),
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = new URL(
    event.notification.data && event.notification.data.url ? event.notification.data.url : "/",
    self.location.origin,
  ).href;
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((tabs) => {
      const tab = tabs.find((c) => new URL(c.url).origin === self.location.origin);
      if (!tab) return self.clients.openWindow(url);
      return tab.focus().then((focused) => (focused && "navigate" in focused ? focused.navigate(url) : undefined));
    }),
  );
});

// a new version takes over at once: the worker holds no state worth waiting for
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));
