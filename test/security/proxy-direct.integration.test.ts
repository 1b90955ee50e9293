// X-Forwarded-For / X-Forwarded-Proto from a peer that is not a trusted proxy (TRUST_PROXY lists another
// address here; by default it lists none) are a client's claims, and ignored: the client's address (every
// per-address throttle) and the cookie's HTTPS form come from the connection. (The default: throttling tests.)
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SESSION_COOKIE } from "@/lib/protocol";
import { freshLoopback, postFrom, type RawResponse } from "../helpers/security";
import { startTestServer, type TestServer } from "../helpers/test-server";

const PASSWORD = "correct horse battery";
const REGISTRATIONS = 3;
// one server per file: route handlers reach the services through a process-wide runtime
let direct: TestServer;

beforeAll(async () => {
  direct = await startTestServer({
    env: { THROTTLE_REGISTRATIONS: String(REGISTRATIONS), TRUST_PROXY: "10.20.30.40" },
  });
});
afterAll(async () => {
  await direct.close();
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

describe("from a peer that is not a trusted proxy: only the TCP connection counts", () => {
  it("X-Forwarded-Proto: https from a client does not make the cookie an HTTPS one", async () => {
    const cookie = await loginCookie(direct, { "x-forwarded-proto": "https" });
    expect(cookie.startsWith(`${SESSION_COOKIE}=`)).toBe(true);
    expect(cookie.toLowerCase()).not.toContain("secure");
  });

  it("X-Forwarded-For does not give a client fresh per-address budgets", async () => {
    const from = freshLoopback();
    const statuses: number[] = [];
    for (let i = 0; i <= REGISTRATIONS; i++) {
      statuses.push((await register(direct, from, { "x-forwarded-for": `203.0.113.${i}` })).status);
    }
    expect(statuses).toEqual([...Array<number>(REGISTRATIONS).fill(200), 429]);
  });
});
