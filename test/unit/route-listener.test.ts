// The route table served from node:http (lib/server/route-listener.ts): what `npm start` answers in front of
// Next, and the tests and bench without it. A real server on an ephemeral port; the handlers are stand-ins.
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Route } from "@/lib/http/routes";
import { nextListener, routeDispatcher } from "@/lib/server/route-listener";

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
  { method: "POST", pattern: "/api/login", handler: () => Response.json({ from: "the table" }) },
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

  it("gives JSON replies their length, and answers HEAD as GET without the body", async () => {
    const thing = await fetch(`${base}/api/things/7`);
    expect(thing.headers.get("content-length")).toBe(String(JSON.stringify({ id: "7" }).length));
    const head = await fetch(`${base}/api/things/7`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await head.text()).toBe("");
    const stream = await fetch(`${base}/api/stream`, { method: "HEAD" });
    expect([stream.status, await stream.text()]).toEqual([200, ""]);
  });

  it("answers another method on one of its paths with 405 and what is allowed, OPTIONS with 204", async () => {
    const put = await fetch(`${base}/api/things/7`, { method: "PUT", body: "{}" });
    expect(put.status).toBe(405);
    expect(put.headers.get("allow")).toBe("GET, DELETE, HEAD, OPTIONS");
    expect(await put.json()).toEqual({ detail: "PUT is not allowed here; allowed: GET, DELETE, HEAD, OPTIONS" });
    expect((await fetch(`${base}/api/echo`)).headers.get("allow")).toBe("POST, OPTIONS");
    const options = await fetch(`${base}/api/echo`, { method: "OPTIONS" });
    expect([options.status, options.headers.get("allow")]).toEqual([204, "POST, OPTIONS"]);
  });

  it("leaves every other path to the next listener", async () => {
    for (const path of ["/", "/api/things", "/api/things/1/more", "/api/echo/", "/login"]) {
      const res = await fetch(base + path);
      expect([path, res.status, await res.text()]).toEqual([path, 418, "not mine"]);
    }
  });

  it("answers a handler that throws with a 500 that tells nothing of it, and reports the error", async () => {
    const res = await fetch(`${base}/api/broken`);
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ detail: "Internal server error" }); // and nothing of the error itself
    expect(errors).toHaveLength(1);
    expect(String(errors[0])).toContain("boom");
  });
});

describe("nextListener", () => {
  const seen: string[] = [];
  const nextErrors: unknown[] = [];
  let front: Server;
  let url: string;
  beforeAll(async () => {
    // a stand-in for Next's handler: it answers what reaches it, and fails on /fail
    const next = (req: { url?: string }, res: ServerResponse) => {
      seen.push(req.url ?? "");
      if (req.url === "/fail") return Promise.reject(new Error("next failed"));
      if (req.url === "/fail-midway") {
        res.writeHead(200).write("half a page");
        return Promise.reject(new Error("next failed midway"));
      }
      res.writeHead(200).end("from Next");
      return Promise.resolve();
    };
    front = createServer(nextListener(next, ROUTES, (err) => nextErrors.push(err)));
    await new Promise<void>((resolve) => front.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => front.close(() => resolve())));

  it("answers the table itself, and hands pages, register and login, and unknown paths to Next", async () => {
    expect(await (await fetch(`${url}/api/things/3`)).json()).toEqual({ id: "3" });
    expect((await fetch(`${url}/api/things/3`, { method: "PUT" })).status).toBe(405); // Next never sees it
    expect(await (await fetch(`${url}/api/login`, { method: "POST", body: "{}" })).text()).toBe("from Next");
    expect(await (await fetch(`${url}/r/general`)).text()).toBe("from Next");
    expect(seen).toEqual(["/api/login", "/r/general"]);
  });

  it("answers 500 with a detail, as a failed route does, when Next's handler fails, and reports it", async () => {
    const res = await fetch(`${url}/fail`);
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ detail: "Internal server error" });
    expect(String(nextErrors.at(-1))).toContain("next failed");
  });

  it("cuts a response Next had begun when it fails midway, rather than leave it open", async () => {
    const res = await fetch(`${url}/fail-midway`);
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
    expect(String(nextErrors.at(-1))).toContain("next failed midway");
  });
});
