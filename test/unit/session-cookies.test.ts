// The session cookie on HTTP (lib/http/session.ts): read with the `cookie` package, written with it.
import { describe, expect, it } from "vitest";
import { clearedSessionCookies, readCookie, sessionCookie, sessionFromCookies } from "@/lib/http/session";
import { SECURE_SESSION_COOKIE, SESSION_COOKIE } from "@/lib/protocol";

describe("session cookies", () => {
  it("reads the first cookie of a name among others, decoded, and nothing from an empty or missing header", () => {
    expect(readCookie(`theme=dark; ${SESSION_COOKIE}=abc%2Fdef; x=1`, SESSION_COOKIE)).toBe("abc/def");
    expect(readCookie(`${SESSION_COOKIE}=first; ${SESSION_COOKIE}=second`, SESSION_COOKIE)).toBe("first");
    expect(readCookie("theme=dark", SESSION_COOKIE)).toBeUndefined();
    expect(readCookie("", SESSION_COOKIE)).toBeUndefined();
    expect(readCookie(undefined, SESSION_COOKIE)).toBeUndefined();
    // a broken escape is kept as it is: it names no session, so the request is simply not signed in
    expect(readCookie("t=%E0%A4%A", "t")).toBe("%E0%A4%A");
  });

  it("prefers the __Host- cookie over the plain one", () => {
    expect(sessionFromCookies(`${SESSION_COOKIE}=plain; ${SECURE_SESSION_COOKIE}=secure`)).toBe("secure");
    expect(sessionFromCookies(`${SESSION_COOKIE}=plain`)).toBe("plain");
  });

  it("writes HttpOnly, SameSite=Lax, Path=/ and the TTL; Secure and __Host- over HTTPS; clears both names", () => {
    const http = new Request("http://chat.test/api/login");
    const https = new Request("http://chat.test/api/login", { headers: { "x-forwarded-proto": "https" } });
    expect(sessionCookie(http, "tok", 60)).toBe(`${SESSION_COOKIE}=tok; Max-Age=60; Path=/; HttpOnly; SameSite=Lax`);
    expect(sessionCookie(https, "tok", 60)).toBe(
      `${SECURE_SESSION_COOKIE}=tok; Max-Age=60; Path=/; HttpOnly; Secure; SameSite=Lax`,
    );
    expect(clearedSessionCookies(http)).toEqual([`${SESSION_COOKIE}=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax`]);
    expect(clearedSessionCookies(https)).toEqual([
      `${SESSION_COOKIE}=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax`,
      `${SECURE_SESSION_COOKIE}=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=Lax`,
    ]);
  });
});
