// Security headers in the real request pipeline, without a browser: the app factory (createChatServer, the
// listener `npm start` runs Next behind) puts the static set on every response — API, legacy paths, 404s,
// refusals — and proxy.ts (Next's middleware, called here as Next calls it) gives each page a CSP with a
// fresh nonce, on the response and on the request Next renders from. e2e/security.spec.ts checks the same
// against `npm start` with a browser.
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contentSecurityPolicy, STATIC_SECURITY_HEADERS } from "@/lib/http/security-headers";
import { proxy } from "@/proxy";
import { rawRequest, type RawResponse } from "../helpers/security";
import { startTestServer, type TestServer } from "../helpers/test-server";

const EXPECTED_STATIC = {
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
  "permissions-policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
  "cross-origin-opener-policy": "same-origin",
};

/** directive → its sources */
function parseCsp(header: string | null | undefined): Map<string, string[]> {
  expect(header).toBeTruthy();
  return new Map(
    header!
      .split(";")
      .map((part) => part.trim().split(/\s+/))
      .map(([name, ...sources]): [string, string[]] => [name!, sources]),
  );
}

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe("the app factory's responses", () => {
  it.each([
    ["GET", "/api/health", undefined],
    ["GET", "/api/messages", undefined],
    ["POST", "/login", '{"username":"nobody","password":"wrong password"}'],
    ["POST", "/register", "not json"],
    ["GET", "/no/such/path", undefined],
  ])("%s %s carries every static security header", async (method, pathname, body) => {
    const res: RawResponse = await rawRequest(server.url, pathname, {
      method,
      headers: { "content-type": "application/json", accept: "application/json" },
      ...(body ? { body } : {}),
    });
    expect(res.status).toBeGreaterThanOrEqual(200);
    for (const [name, value] of Object.entries(EXPECTED_STATIC)) expect(res.headers[name], name).toBe(value);
    expect(res.headers["x-powered-by"]).toBeUndefined();
  });

  it("the header table is the one the factory applies (nothing else defines them)", () => {
    expect(Object.fromEntries(Object.entries(STATIC_SECURITY_HEADERS).map(([k, v]) => [k.toLowerCase(), v]))).toEqual(
      EXPECTED_STATIC,
    );
  });
});

describe("proxy.ts: each page's Content-Security-Policy", () => {
  const page = () => new NextRequest("http://127.0.0.1:8000/login", { headers: { accept: "text/html" } });

  it("locks scripts to a per-request nonce, forbids framing, plugins and foreign bases", () => {
    const res = proxy(page());
    const csp = parseCsp(res.headers.get("content-security-policy"));
    const scriptSrc = csp.get("script-src")!;
    const nonces = scriptSrc.filter((s) => s.startsWith("'nonce-"));
    expect(nonces).toHaveLength(1);
    expect(nonces[0]).toMatch(/^'nonce-[A-Za-z0-9+/]{22}==?'$/);
    expect(scriptSrc).toContain("'strict-dynamic'");
    expect(scriptSrc).not.toContain("'unsafe-inline'");
    expect(csp.get("default-src")).toEqual(["'self'"]);
    expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
    expect(csp.get("object-src")).toEqual(["'none'"]);
    expect(csp.get("base-uri")).toEqual(["'self'"]);
    expect(csp.get("form-action")).toEqual(["'self'"]);
    expect(csp.get("connect-src")).toEqual(["'self'"]);
  });

  it("hands the same nonce and policy to the page render (request headers), and a new nonce every request", () => {
    const first = proxy(page());
    const second = proxy(page());
    const csp = first.headers.get("content-security-policy")!;
    // NextResponse.next({ request: { headers } }) passes them as x-middleware-request-* headers
    expect(first.headers.get("x-middleware-request-content-security-policy")).toBe(csp);
    const nonce = first.headers.get("x-middleware-request-x-nonce");
    expect(csp).toContain(`'nonce-${nonce}'`);
    expect(second.headers.get("x-middleware-request-x-nonce")).not.toBe(nonce);
  });

  it("allows eval only in development (React's dev tooling), never in production", () => {
    expect(contentSecurityPolicy("n", false)).not.toContain("unsafe-eval");
    expect(contentSecurityPolicy("n", true)).toContain("'unsafe-eval'");
  });
});
