// Every /api/admin/* route answers 403 to a signed-in non-admin, whatever the path parameters and body (fuzzed
// with fast-check), and changes nothing; 401 without a session. The routes come from the route table itself,
// so a route added later is covered without touching this file.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_ROUTES, findRoute } from "@/lib/http/routes";
import { startTestServer, type TestServer } from "../helpers/test-server";
import { dbNumber } from "../helpers/db";

let server: TestServer;
let admin: string;
let member: string;

beforeAll(async () => {
  server = await startTestServer();
  admin = await server.token("the_admin");
  member = await server.token("just_member");
});
afterAll(async () => {
  await server.close();
});

/** a concrete path for a route pattern, its `[param]` segments filled in */
const fill = (pattern: string, value: string) => pattern.replace(/\[[^\]]+\]/g, encodeURIComponent(value));

async function request(method: string, pathname: string, token: string | undefined, body: string | undefined) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(server.url + pathname, { method, headers, body: method === "GET" ? undefined : body });
  const text = await res.text();
  return { status: res.status, body: (text.startsWith("{") ? JSON.parse(text) : { text }) as { detail?: unknown } };
}

const changes = () =>
  dbNumber(
    server,
    `SELECT (SELECT COUNT(*) FROM "AuditEntry") + (SELECT COUNT(*) FROM "Invite")
          + (SELECT COUNT(*) FROM "ServerSetting") + (SELECT COUNT(*) FROM "PasswordReset")
          + (SELECT COUNT(*) FROM "User" WHERE "admin" = true OR "deactivatedAt" IS NOT NULL)`,
  );

describe("admin routes refuse non-admins", () => {
  it("the table has the admin routes this suite is about", () => {
    expect(ADMIN_ROUTES.length).toBeGreaterThanOrEqual(12);
    expect(ADMIN_ROUTES.every((r) => r.pattern.startsWith("/api/admin/"))).toBe(true);
  });

  it.each(ADMIN_ROUTES.map((r) => [r.method, r.pattern] as const))(
    "%s %s: 403 for a member, 401 for nobody",
    async (method, pattern) => {
      const path = fill(pattern, "just_member");
      const asMember = await request(method, path, member, JSON.stringify({ registration: "open", uses: 1 }));
      expect(asMember.status).toBe(403);
      expect(asMember.body.detail).toBe("Only admins can do this");
      expect((await request(method, path, undefined, "{}")).status).toBe(401);
    },
  );

  it("fuzzed parameters and bodies never get past the 403, and change nothing", async () => {
    const before = await changes();
    const target = fc.oneof(
      fc.constantFrom("the_admin", "just_member", "1", "..", "%00"),
      fc.string({ maxLength: 40 }),
    );
    const body = fc.oneof(
      fc.json(),
      fc.constantFrom('{"registration":"open"}', '{"uses":1000,"expiresInHours":8760}', "", "null", "{"),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ADMIN_ROUTES), target, body, async (route, value, text) => {
        const path = fill(route.pattern, value || "x");
        const res = await request(route.method, path, member, text);
        // a parameter that changes the path's shape ("." and ".." are resolved by the URL) finds no route: 404
        const routed = findRoute(ADMIN_ROUTES, route.method, new URL(path, server.url).pathname);
        expect(res.status, `${route.method} ${path}: ${JSON.stringify(res.body)}`).toBe(routed ? 403 : 404);
      }),
      { numRuns: 150 },
    );
    expect(await changes()).toBe(before);
    // and the admin still may
    expect((await request("GET", "/api/admin/users", admin, undefined)).status).toBe(200);
  });
});
