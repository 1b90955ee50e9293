// Issue 4, point 8: a fast-check fuzz of the HTTP route handlers over real HTTP. Random bodies (JSON values,
// strings, raw bytes, credential-shaped objects with odd keys and types, in any content type) POSTed to the
// state-changing routes, and random query strings and cookies on GET /api/messages: never a 5xx, always JSON,
// and every 4xx says what is wrong in `detail`. Each case speaks from its own loopback address so the login
// throttle does not turn the rest of the run into 429s. The server still answers /api/health afterwards.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshLoopback, rawRequest, type RawResponse } from "../helpers/security";
import { startTestServer, type TestServer } from "../helpers/test-server";

const RUNS = 1000;
let server: TestServer;
let token: string;

beforeAll(async () => {
  server = await startTestServer();
  token = await server.token("fuzz_user");
});
afterAll(async () => {
  await server.close();
});

/** The contract for every answer: no 5xx, a JSON body, and a string `detail` on every 4xx. */
function expectWellFormed(res: RawResponse, what: string): void {
  expect(res.status, what).toBeGreaterThanOrEqual(200);
  expect(res.status, what).toBeLessThan(500);
  expect(res.headers["content-type"], what).toMatch(/^application\/json/);
  const body = res.json<Record<string, unknown>>();
  expect(typeof body, what).toBe("object");
  if (res.status >= 400) {
    expect(typeof body.detail, what).toBe("string");
    expect((body.detail as string).length, what).toBeGreaterThan(0);
  }
}

async function expectHealthy(): Promise<void> {
  const res = await rawRequest(server.url, "/api/health");
  expect(res.status).toBe(200);
  expect(res.json<{ status: string }>().status).toBe("Server is running");
}

// ---- arbitraries --------------------------------------------------------------------------------------------
const oddKey = fc.oneof(
  fc.constantFrom("username", "password", "__proto__", "constructor", "prototype", "toString", "", " ", "token"),
  fc.string(),
);
const oddValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.string({ unit: "binary", maxLength: 100 }),
  fc.constantFrom(null, true, 0, -1, 1e308, "", " ".repeat(9), "€".repeat(25), "a".repeat(73)),
);
const usernameLike = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9_.-]{1,40}$/),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  oddValue,
);
const passwordLike = fc.oneof(
  fc.string({ minLength: 6, maxLength: 80 }),
  fc.string({ unit: "binary", minLength: 1, maxLength: 40 }),
  oddValue,
);
const credentialsLike = fc
  .record({ username: usernameLike, password: passwordLike }, { requiredKeys: [] })
  .chain((creds) => fc.dictionary(oddKey, oddValue, { maxKeys: 3 }).map((extra) => ({ ...extra, ...creds })));

const body: fc.Arbitrary<string | Buffer> = fc.oneof(
  credentialsLike.map((v) => JSON.stringify(v)),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.dictionary(oddKey, oddValue).map((v) => JSON.stringify(v)),
  fc.string({ unit: "binary" }),
  fc.string(),
  fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a)),
  fc.constantFrom("", "{", "[", "null", '{"username":', "\u0000", '{"__proto__":{"polluted":1}}', "{}".repeat(10)),
);
const contentType = fc.constantFrom(
  "application/json",
  "application/json; charset=utf-8",
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "application/octet-stream",
  "",
);
const headerSafe = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)) });

describe("fuzz", () => {
  it(`POST /register, /login, /logout (and /api aliases) with random bodies: ${RUNS} cases`, async () => {
    const paths = ["/register", "/login", "/logout", "/api/register", "/api/login", "/api/logout"];
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...paths),
        body,
        contentType,
        fc.oneof(
          fc.constant(undefined),
          fc.constant(`Bearer ${token}x`),
          headerSafe.map((s) => `Bearer ${s}`),
        ),
        async (path, payload, type, authorization) => {
          const headers: Record<string, string> = {};
          if (type) headers["content-type"] = type;
          if (authorization) headers.authorization = authorization;
          const res = await rawRequest(server.url, path, {
            method: "POST",
            headers,
            body: payload,
            localAddress: freshLoopback(),
          });
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          expectWellFormed(res, `${path} ${type} ${JSON.stringify(String(payload).slice(0, 200))}`);
        },
      ),
      { numRuns: RUNS },
    );
    // the fuzz reached the handlers' different answers, not one error path over and over
    expect([...statuses.keys()].filter((s) => s >= 400).length).toBeGreaterThanOrEqual(3);
    await expectHealthy();
  });

  it(`GET /api/messages with random query strings, cookies and tokens: ${RUNS} cases`, async () => {
    const key = fc.oneof(fc.constantFrom("after", "before", "limit", "room", "__proto__", "after[]"), fc.string());
    const value = fc.oneof(
      fc.integer().map(String),
      fc.double().map(String),
      fc.bigInt().map(String),
      fc.string(),
      fc.string({ unit: "binary" }),
      fc.constantFrom("", "-0", "1e3", "0x10", "Infinity", "NaN", " 5 ", "500", "501", "1.5", "9".repeat(400)),
    );
    const query = fc.oneof(
      fc.array(fc.tuple(key, value), { maxLength: 5 }).map((pairs) => new URLSearchParams(pairs).toString()),
      headerSafe.map((s) => s.replace(/[#\s]/g, "")), // raw, possibly broken percent-encoding
      fc.constantFrom("%", "%zz", "%E0%A4%A", "limit=%FF", "after=1&after=2", "&&&", "=", "a=%00"),
    );
    const auth = fc.oneof(
      fc.constant({ authorization: `Bearer ${token}` }),
      fc.constant({ cookie: `chatterbox_session=${token}` }),
      headerSafe.map((s) => ({ cookie: s })),
      headerSafe.map((s) => ({ cookie: `chatterbox_session=${s}` })),
      headerSafe.map((s) => ({ authorization: s })),
      fc.constant({}),
    );
    let ok = 0;
    await fc.assert(
      fc.asyncProperty(query, auth, async (qs, headers) => {
        const res = await rawRequest(server.url, `/api/messages?${qs}`, { headers });
        expectWellFormed(res, `?${qs} ${JSON.stringify(headers)}`);
        if (res.status === 200) {
          ok++;
          expect(Array.isArray(res.json<{ messages: unknown }>().messages)).toBe(true);
        }
      }),
      { numRuns: RUNS },
    );
    expect(ok).toBeGreaterThan(0);
    await expectHealthy();
  });
});
