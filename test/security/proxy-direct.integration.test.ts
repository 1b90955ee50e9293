// X-Forwarded-For / X-Forwarded-Proto from a peer that is not a trusted proxy (TRUST_PROXY lists another
// address here; by default it lists none) are a client's claims, and ignored: the client's address (every
// per-address throttle) and the cookie's HTTPS form come from the connection. (The default: throttling tests.)
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SESSION_COOKIE } from "@/lib/protocol";
import { freshLoopback } from "../helpers/security";
import { loginCookie, registerFrom } from "../helpers/proxy";
import { startTestServer, type TestServer } from "../helpers/test-server";

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
      statuses.push((await registerFrom(direct, from, { "x-forwarded-for": `203.0.113.${i}` })).status);
    }
    expect(statuses).toEqual([...Array<number>(REGISTRATIONS).fill(200), 429]);
  });
});
