import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { applyProxyHeaders, clientAddress, requestHost } from "../../lib/http/client-address";
import { CLIENT_IP_HEADER } from "../../lib/http/respond";

const request = (peer: string | undefined, headers: Record<string, string> = {}) =>
  ({ socket: { remoteAddress: peer }, headers }) as unknown as IncomingMessage;

describe("clientAddress", () => {
  it("is the TCP peer when no proxy is trusted, whatever X-Forwarded-For claims", () => {
    expect(clientAddress(request("203.0.113.9", { "x-forwarded-for": "1.1.1.1" }), [])).toBe("203.0.113.9");
  });

  it("is the peer when the peer is not one of the trusted proxies", () => {
    const req = request("203.0.113.9", { "x-forwarded-for": "1.1.1.1" });
    expect(clientAddress(req, ["10.0.0.5"])).toBe("203.0.113.9");
  });

  it("reads X-Forwarded-For from the right, skipping trusted proxies, up to the first that is not", () => {
    // a client lies in its own X-Forwarded-For; the trusted proxy appends the address it saw
    const req = request("10.0.0.5", { "x-forwarded-for": "6.6.6.6, 198.51.100.7" });
    expect(clientAddress(req, ["10.0.0.5"])).toBe("198.51.100.7");
  });

  it("walks through a chain of trusted proxies given as a CIDR range", () => {
    const req = request("10.0.0.5", { "x-forwarded-for": "198.51.100.7, 10.1.2.3" });
    expect(clientAddress(req, ["10.0.0.0/8"])).toBe("198.51.100.7");
    expect(clientAddress(req, ["10.0.0.5"])).toBe("10.1.2.3");
  });

  it("trusts loopback peers, IPv4-mapped ones included, for 'loopback'", () => {
    const hdr = { "x-forwarded-for": "198.51.100.7" };
    expect(clientAddress(request("::ffff:127.0.0.1", hdr), ["loopback"])).toBe("198.51.100.7");
    expect(clientAddress(request("::1", hdr), ["loopback"])).toBe("198.51.100.7");
    expect(clientAddress(request("127.8.9.10", hdr), ["loopback"])).toBe("198.51.100.7");
  });

  it("is the leftmost hop when every hop is trusted, and the peer when the header is missing", () => {
    expect(clientAddress(request("127.0.0.1", { "x-forwarded-for": "::1, 127.0.0.2" }), ["loopback"])).toBe("::1");
    expect(clientAddress(request("127.0.0.1"), ["loopback"])).toBe("127.0.0.1");
  });

  it("says unknown for a socket that is already gone", () => {
    expect(clientAddress(request(undefined), ["loopback"])).toBe("unknown");
  });
});

describe("requestHost and applyProxyHeaders", () => {
  const forwarded = {
    host: "127.0.0.1:8000",
    "x-forwarded-for": "198.51.100.7",
    "x-forwarded-proto": "http, https",
    "x-forwarded-host": "evil.example, chat.example.com",
  };

  it("take the nearest trusted proxy's word on host and protocol", () => {
    const req = request("127.0.0.1", { ...forwarded });
    expect(requestHost(req, ["loopback"])).toBe("chat.example.com");
    applyProxyHeaders(req, ["loopback"]);
    expect(req.headers[CLIENT_IP_HEADER]).toBe("198.51.100.7");
    expect(req.headers["x-forwarded-proto"]).toBe("https");
    expect(req.headers["x-forwarded-host"]).toBe("chat.example.com");
  });

  it("drop both headers from anyone else, and keep the Host header", () => {
    const req = request("203.0.113.9", { ...forwarded });
    expect(requestHost(req, ["loopback"])).toBe("127.0.0.1:8000");
    applyProxyHeaders(req, ["loopback"]);
    expect(req.headers[CLIENT_IP_HEADER]).toBe("203.0.113.9");
    expect(req.headers["x-forwarded-proto"]).toBeUndefined();
    expect(req.headers["x-forwarded-host"]).toBeUndefined();
  });
});
