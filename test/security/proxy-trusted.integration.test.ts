// With TRUST_PROXY (behind a reverse proxy) X-Forwarded-For / X-Forwarded-Proto decide the client's address
// (every per-address throttle) and the cookie's HTTPS form.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SECURE_SESSION_COOKIE } from "@/lib/protocol";
import { freshLoopback, postFrom, type RawResponse } from "../helpers/security";
import { startTestServer, type TestServer } from "../helpers/test-server";

const PASSWORD = "correct horse battery";
const REGISTRATIONS = 3;
// one server per file: route handlers reach the services through a process-wide runtime
let proxied: TestServer;

beforeAll(async () => {
  proxied = await startTestServer({ env: { THROTTLE_REGISTRATIONS: String(REGISTRATIONS), TRUST_PROXY: "true" } });
});
afterAll(async () => {
  await proxied.close();
});

const unique = (prefix: string) => `${prefix}_${randomBytes(4).toString("hex")}`;
const register = (server: TestServer, from: string, headers: Record<string, string> = {}): Promise<RawResponse> =>
  postFrom(server.url, "/register", { username: unique("px"), password: PASSWORD }, { localAddress: from, headers });

async function loginCookie(server: TestServer, headers: Record<string, string>): Promise<string> {
  const username = unique("pc");
  await server.services.auth.register({ username, password: PASSWORD }, `setup:${username}`);
  const res = await postFrom(server.url, "/login", { username, password: PASSWORD }, { headers });
  expect(res.status, res.body).toBe(200);
  const [cookie] = res.headers["set-cookie"] ?? [];
  return cookie ?? "";
}

describe("with TRUST_PROXY: the proxy's headers count", () => {
  it("X-Forwarded-Proto: https gives the __Host- cookie with Secure", async () => {
    const cookie = await loginCookie(proxied, { "x-forwarded-proto": "https" });
    expect(cookie.startsWith(`${SECURE_SESSION_COOKIE}=`)).toBe(true);
    expect(cookie.toLowerCase()).toContain("secure");
  });

  it("each client behind the proxy has its own budget: the hop the proxy appended last is the client", async () => {
    const proxy = freshLoopback(); // every request comes from the proxy's one address
    for (let i = 0; i < REGISTRATIONS; i++) {
      expect((await register(proxied, proxy, { "x-forwarded-for": "198.51.100.7" })).status).toBe(200);
    }
    // that client is out of registrations, whatever it puts in front of the proxy's hop
    expect((await register(proxied, proxy, { "x-forwarded-for": "198.51.100.7" })).status).toBe(429);
    expect((await register(proxied, proxy, { "x-forwarded-for": "10.9.9.9, 198.51.100.7" })).status).toBe(429);
    // another client behind the same proxy is not
    expect((await register(proxied, proxy, { "x-forwarded-for": "198.51.100.8" })).status).toBe(200);
  });

  it("without X-Forwarded-For the TCP peer is the client", async () => {
    const from = freshLoopback();
    for (let i = 0; i < REGISTRATIONS; i++) expect((await register(proxied, from)).status).toBe(200);
    expect((await register(proxied, from)).status).toBe(429);
  });
});
