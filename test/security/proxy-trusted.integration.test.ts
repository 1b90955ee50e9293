// With TRUST_PROXY=true (a reverse proxy on this machine: loopback peers are trusted) X-Forwarded-For /
// X-Forwarded-Proto decide the client's address (every per-address throttle: HTTP and socket handshakes)
// and the cookie's HTTPS form.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SECURE_SESSION_COOKIE } from "@/lib/protocol";
import { connectOutcome, freshLoopback, ioFrom } from "../helpers/security";
import { loginCookie, registerFrom } from "../helpers/proxy";
import { startTestServer, type TestServer } from "../helpers/test-server";

const REGISTRATIONS = 3;
const CONNECTIONS = 2;
// one server per file: route handlers reach the services through a process-wide runtime
let proxied: TestServer;

beforeAll(async () => {
  proxied = await startTestServer({
    env: {
      THROTTLE_REGISTRATIONS: String(REGISTRATIONS),
      THROTTLE_CONNECTIONS: String(CONNECTIONS),
      TRUST_PROXY: "true",
    },
  });
});
afterAll(async () => {
  await proxied.close();
});

describe("with TRUST_PROXY: the proxy's headers count", () => {
  it("X-Forwarded-Proto: https gives the __Host- cookie with Secure", async () => {
    const cookie = await loginCookie(proxied, { "x-forwarded-proto": "https" });
    expect(cookie.startsWith(`${SECURE_SESSION_COOKIE}=`)).toBe(true);
    expect(cookie.toLowerCase()).toContain("secure");
  });

  it("each client behind the proxy has its own budget: the hop the proxy appended last is the client", async () => {
    const proxy = freshLoopback(); // every request comes from the proxy's one address
    for (let i = 0; i < REGISTRATIONS; i++) {
      expect((await registerFrom(proxied, proxy, { "x-forwarded-for": "198.51.100.7" })).status).toBe(200);
    }
    // that client is out of registrations, whatever it puts in front of the proxy's hop
    expect((await registerFrom(proxied, proxy, { "x-forwarded-for": "198.51.100.7" })).status).toBe(429);
    expect((await registerFrom(proxied, proxy, { "x-forwarded-for": "10.9.9.9, 198.51.100.7" })).status).toBe(429);
    // another client behind the same proxy is not
    expect((await registerFrom(proxied, proxy, { "x-forwarded-for": "198.51.100.8" })).status).toBe(200);
  });

  it("the scheme is the nearest proxy's word (the last X-Forwarded-Proto entry)", async () => {
    const cookie = await loginCookie(proxied, { "x-forwarded-proto": "http, https" });
    expect(cookie.startsWith(`${SECURE_SESSION_COOKIE}=`)).toBe(true);
  });

  it("trusted proxies in X-Forwarded-For are skipped: the first untrusted hop from the right is the client", async () => {
    const proxy = freshLoopback();
    const via = (client: string) => ({ "x-forwarded-for": `${client}, 127.0.0.9` }); // an inner proxy on loopback
    for (let i = 0; i < REGISTRATIONS; i++)
      expect((await registerFrom(proxied, proxy, via("198.51.100.20"))).status).toBe(200);
    expect((await registerFrom(proxied, proxy, via("198.51.100.20"))).status).toBe(429);
    expect((await registerFrom(proxied, proxy, via("198.51.100.21"))).status).toBe(200);
  });

  it("socket.io handshakes are counted per forwarded client too", async () => {
    const proxy = freshLoopback();
    const handshake = (client: string) => {
      const socket = ioFrom(proxied.url, proxy, {
        transports: ["websocket"],
        extraHeaders: { "x-forwarded-for": client },
        auth: {},
      });
      return connectOutcome(socket).finally(() => socket.disconnect());
    };
    for (let i = 0; i < CONNECTIONS; i++) {
      // no token: refused as unauthorized, but the handshake was let through and counted
      expect(await handshake("198.51.100.30")).toBe("connect_error: unauthorized");
    }
    expect(await handshake("198.51.100.30")).not.toBe("connect_error: unauthorized"); // throttled
    expect(await handshake("198.51.100.31")).toBe("connect_error: unauthorized");
  });

  it("without X-Forwarded-For the TCP peer is the client", async () => {
    const from = freshLoopback();
    for (let i = 0; i < REGISTRATIONS; i++) expect((await registerFrom(proxied, from)).status).toBe(200);
    expect((await registerFrom(proxied, from)).status).toBe(429);
  });
});
