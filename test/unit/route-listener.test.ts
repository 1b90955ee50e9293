// The route table served from node:http (lib/server/route-listener.ts): what `npm start` answers in front of
// Next, and the tests and bench without it. A real server on an ephemeral port; the handlers are stand-ins.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Route } from "@/lib/http/routes";
import { routeDispatcher } from "@/lib/server/route-listener";

const ROUTES: readonly Route[] = [
  { method: "GET", pattern: "/api/things/[id]", handler: async (_req, ctx) => Response.json(await ctx.params) },
  { method: "DELETE", pattern: "/api/things/[id]", handler: () => new Response(null, { status: 204 }) },
  {
    method: "POST",
    pattern: "/api/echo",
    handler: async (req) => Response.json({ got: (await req.json()) as unknown }, { status: 201 }),
  },
  {
    method: "GET",
    pattern: "/api/stream",
    handler: () => new Response(new Blob(["a", "b", "c"]).stream(), { headers: { "content-type": "text/plain" } }),
  },
  { method: "GET", pattern: "/api/broken", handler: () => Promise.reject(new Error("boom")) },
];

let server: Server;
let base: string;
const errors: unknown[] = [];

beforeAll(async () => {
  const dispatch = routeDispatcher(ROUTES, (err) => errors.push(err));
  server = createServer((req, res) => {
    if (!dispatch(req, res)) res.writeHead(418).end("not mine"); // what Next would get
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("routeDispatcher", () => {
  it("answers the table's routes, JSON and streamed bodies alike, with their params", async () => {
    const thing = await fetch(`${base}/api/things/a%20b?x=1`);
    expect(thing.status).toBe(200);
    expect(thing.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await thing.json()).toEqual({ id: "a%20b" });
    const echo = await fetch(`${base}/api/echo`, { method: "POST", body: JSON.stringify({ n: 1 }) });
    expect([echo.status, await echo.json()]).toEqual([201, { got: { n: 1 } }]);
    expect(await (await fetch(`${base}/api/stream`)).text()).toBe("abc");
    expect((await fetch(`${base}/api/things/1`, { method: "DELETE" })).status).toBe(204);
  });

  it("answers HEAD as GET without the body", async () => {
    const head = await fetch(`${base}/api/things/7`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await head.text()).toBe("");
  });

  it("answers another method on one of its paths with 405 and what is allowed", async () => {
    const put = await fetch(`${base}/api/things/7`, { method: "PUT", body: "{}" });
    expect(put.status).toBe(405);
    expect(put.headers.get("allow")).toBe("GET, DELETE");
    expect((await fetch(`${base}/api/echo`)).headers.get("allow")).toBe("POST");
  });

  it("leaves every other path to the next listener", async () => {
    for (const path of ["/", "/api/things", "/api/things/1/more", "/api/echo/", "/login"]) {
      const res = await fetch(base + path);
      expect([path, res.status, await res.text()]).toEqual([path, 418, "not mine"]);
    }
  });

  it("answers a handler that throws with a bare 500 and reports the error", async () => {
    const res = await fetch(`${base}/api/broken`);
    expect(res.status).toBe(500);
    expect(errors).toHaveLength(1);
    expect(String(errors[0])).toContain("boom");
  });
});
