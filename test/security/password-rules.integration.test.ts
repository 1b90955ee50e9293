// Issue 4, point 2: passwords are 8–72 bytes of UTF-8. 72 bytes work and every byte counts (no truncation),
// one byte more is refused with a clear detail and nothing is stored; multibyte characters count in bytes.
// And a login for an unknown user costs what a wrong password costs (one bcrypt comparison each).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { median, postFrom, type RawResponse } from "../helpers/security";
import { startTestServer, type TestServer } from "../helpers/test-server";
import { dbNumber } from "../helpers/db";

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

const register = (username: string, password: string): Promise<RawResponse> =>
  postFrom(server.url, "/register", { username, password });
const login = (username: string, password: string): Promise<RawResponse> =>
  postFrom(server.url, "/login", { username, password });
const userCount = (username: string) =>
  dbNumber(server, "SELECT count(*) FROM User WHERE usernameKey = ?", username.toLowerCase());

function expectRefusedAsTooLong(res: RawResponse): void {
  expect([400, 422]).toContain(res.status);
  const { detail } = res.json<{ detail: string }>();
  expect(detail).toMatch(/password/i);
  expect(detail).toMatch(/72 bytes/);
}

describe("password length in UTF-8 bytes", () => {
  it("72 ASCII bytes register and log in, and every one of them counts", async () => {
    const pw = "p".repeat(71) + "A";
    expect((await register("pw_72", pw)).status).toBe(200);
    expect((await login("pw_72", pw)).status).toBe(200);
    // differs only in the last (72nd) byte: a server that cut at fewer bytes would accept it
    expect((await login("pw_72", "p".repeat(71) + "B")).status).toBe(401);
  });

  it("73 bytes are refused with a clear detail on register (nothing stored) and on login", async () => {
    const pw = "p".repeat(73);
    expectRefusedAsTooLong(await register("pw_73", pw));
    expect(await userCount("pw_73")).toBe(0);
    // logging in to an existing account with a too-long password is refused, not truncated to a match
    expectRefusedAsTooLong(await login("pw_72", "p".repeat(71) + "A" + "x"));
  });

  it.each([
    ["€ (3 bytes)", "€", 24],
    ["😀 (4 bytes)", "😀", 18],
    ["é (2 bytes)", "é", 36],
  ])("counts %s in bytes: 72 bytes accepted, one character more refused", async (_what, ch, fits) => {
    const name = `pw_mb_${Buffer.from(ch).length}`;
    const ok = ch.repeat(fits);
    expect(Buffer.byteLength(ok)).toBe(72);
    expect((await register(name, ok)).status).toBe(200);
    expect((await login(name, ok)).status).toBe(200);
    const tooLong = ch.repeat(fits + 1);
    // far fewer than 72 characters, yet over 72 bytes
    expect([...tooLong].length).toBeLessThan(72);
    expectRefusedAsTooLong(await register(`${name}_x`, tooLong));
    expect(await userCount(`${name}_x`)).toBe(0);
  });
});

describe("login timing", () => {
  it("an unknown user and a wrong password take about as long (both do one bcrypt comparison)", async () => {
    expect((await register("timing_user", "the right password")).status).toBe(200);
    const timed = async (username: string, password: string): Promise<number> => {
      const t = performance.now();
      const res = await login(username, password);
      const ms = performance.now() - t;
      expect(res.status).toBe(401);
      return ms;
    };
    // warm both paths once, then interleave so load changes hit both alike
    await timed("timing_user", "wrong password 0");
    await timed("timing_nobody_0", "wrong password 0");
    const wrong: number[] = [];
    const unknown: number[] = [];
    for (let i = 1; i <= 6; i++) {
      wrong.push(await timed("timing_user", `wrong password ${i}`));
      unknown.push(await timed(`timing_nobody_${i}`, `wrong password ${i}`));
    }
    const ratio = median(unknown) / median(wrong);
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
    // and both really paid for a bcrypt comparison (cost 10: tens of milliseconds; a shortcut takes a few)
    expect(median(unknown)).toBeGreaterThan(20);
    expect(median(wrong)).toBeGreaterThan(20);
  });
});
