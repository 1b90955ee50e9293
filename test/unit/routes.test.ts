// The route table's matching (lib/http/routes.ts): what the standalone server dispatches on, in Next's syntax.
import { describe, expect, it } from "vitest";
import { API_ROUTES, findRoute, matchPattern, roomMembers, status } from "@/lib/http/routes";

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
