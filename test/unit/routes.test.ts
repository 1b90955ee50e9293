// The route table's matching (lib/http/routes.ts): what the standalone server dispatches on, in Next's syntax.
import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  API_ROUTES,
  NEXT_ROUTE_PATHS,
  findRoute,
  matchPattern,
  roomMembers,
  routesAt,
  status,
} from "@/lib/http/routes";

describe("matchPattern", () => {
  it("matches static paths exactly", () => {
    expect(matchPattern("/api/status", "/api/status")).toEqual({});
    expect(matchPattern("/api/status", "/api/status/")).toBeUndefined();
    expect(matchPattern("/api/status", "/api/statuses")).toBeUndefined();
  });
  it("passes a [segment] as a param, still encoded, and never an empty one", () => {
    expect(matchPattern("/api/rooms/[room]/members", "/api/rooms/dm%3Aa%3Ab/members")).toEqual({ room: "dm%3Aa%3Ab" });
    expect(matchPattern("/api/rooms/[room]/members", "/api/rooms//members")).toBeUndefined();
    expect(matchPattern("/api/rooms/[room]/members", "/api/rooms/a/b/members")).toBeUndefined();
  });
});

describe("findRoute", () => {
  it("finds the handler for the method and path", () => {
    expect(findRoute(API_ROUTES, "GET", "/api/status")?.handler).toBe(status);
    expect(findRoute(API_ROUTES, "GET", "/api/rooms/general/members")).toEqual({
      handler: roomMembers,
      params: { room: "general" },
    });
  });
  it("is undefined for another method or an unknown path", () => {
    expect(findRoute(API_ROUTES, "POST", "/api/status")).toBeUndefined();
    expect(findRoute(API_ROUTES, "HEAD", "/api/health")).toBeUndefined();
    expect(findRoute(API_ROUTES, "GET", "/api/nothing")).toBeUndefined();
  });
});

describe("routesAt", () => {
  it("lists the routes of a path in the table with their params, none for a path outside it", () => {
    const at = routesAt(API_ROUTES, "/api/messages/5");
    expect(at.map((m) => m.route.method)).toEqual(["PATCH", "DELETE"]);
    expect(at.map((m) => m.params)).toEqual([{ id: "5" }, { id: "5" }]);
    expect(routesAt(API_ROUTES, "/api/nothing")).toEqual([]);
  });
});

describe("the routes Next serves", () => {
  it("are register and login, in the table and in app/api; app/ has no other route file", () => {
    for (const p of NEXT_ROUTE_PATHS) expect(API_ROUTES.some((r) => r.pattern === p)).toBe(true);
    const files = readdirSync(path.resolve("app"), { recursive: true, encoding: "utf8" })
      .filter((f) => path.basename(f) === "route.ts")
      .map((f) => `/${path.dirname(f)}`)
      .sort();
    expect(files).toEqual([...NEXT_ROUTE_PATHS].sort());
  });
});
