import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import {
  LIMITS,
  characterCount,
  clientIdSchema,
  contentSchema,
  credentialsSchema,
  describeZodError,
  displayNameSchema,
  messagesQuerySchema,
  passwordSchema,
  sendMessageSchema,
  socketAuthSchema,
  statusTextSchema,
  usernameSchema,
  wsClientFrameSchema,
} from "@/lib/protocol";

const bytes = (s: string) => Buffer.byteLength(s, "utf8");

/** The refusal's message, or null when the value is accepted. */
function refusal(schema: z.ZodType, v: unknown): string | null {
  const r = schema.safeParse(v);
  return r.success ? null : describeZodError(r.error);
}

describe("usernameSchema", () => {
  it.each(["abc", "Alice", "a.b-c_d", "user_123", "x".repeat(32), "A-B", "..."])("accepts %j", (name) => {
    expect(usernameSchema.parse(name)).toBe(name);
  });

  it("refuses names shorter than 3 characters, saying so", () => {
    expect(refusal(usernameSchema, "ab")).toMatch(/at least 3/);
    expect(refusal(usernameSchema, "")).toMatch(/at least 3/);
  });

  it("refuses names longer than 32 characters, saying so", () => {
    expect(refusal(usernameSchema, "x".repeat(33))).toMatch(/at most 32/);
  });

  it.each(["a b", "ali$", "bob!", "ålice", "名前です", "al/ce", "a@b.c", "tab\tby", "emoji😀"])(
    "refuses %j with a message naming the allowed characters",
    (name) => {
      expect(refusal(usernameSchema, name)).toMatch(/letters, digits/);
    },
  );

  it("refuses non-strings with a message", () => {
    expect(refusal(usernameSchema, 42)).toBe("username must be a string");
    expect(refusal(usernameSchema, null)).toBe("username must be a string");
  });

  it("trims surrounding whitespace before checking", () => {
    expect(usernameSchema.parse("  alice  ")).toBe("alice");
    expect(refusal(usernameSchema, "  ab  ")).toMatch(/at least 3/);
  });

  it("property: whatever it accepts is 3–32 characters of [A-Za-z0-9_.-]", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 40 }), fc.stringMatching(/^[A-Za-z0-9_.-]{0,40}$/)), (s) => {
        const r = usernameSchema.safeParse(s);
        if (r.success) expect(r.data).toMatch(/^[A-Za-z0-9_.-]{3,32}$/);
        else expect(describeZodError(r.error).length).toBeGreaterThan(0);
      }),
    );
  });
});

describe("passwordSchema (8–72 bytes of UTF-8)", () => {
  it("accepts exactly 8 and exactly 72 ASCII bytes", () => {
    expect(passwordSchema.parse("x".repeat(8))).toBe("x".repeat(8));
    expect(passwordSchema.parse("x".repeat(72))).toBe("x".repeat(72));
  });

  it("refuses 7 bytes, saying the minimum", () => {
    expect(refusal(passwordSchema, "x".repeat(7))).toMatch(/at least 8 bytes/);
  });

  it("refuses 73 bytes with a message that names the 72-byte limit instead of truncating", () => {
    const msg = refusal(passwordSchema, "x".repeat(73));
    expect(msg).toMatch(/72 bytes/);
  });

  it("counts multibyte characters in bytes, not characters", () => {
    // é is 2 bytes, € 3 bytes, 😀 4 bytes (2 UTF-16 code units)
    expect(passwordSchema.safeParse("é".repeat(36)).success).toBe(true); // 72 bytes
    expect(refusal(passwordSchema, "é".repeat(37))).toMatch(/72 bytes/); // 74 bytes, 37 chars
    expect(passwordSchema.safeParse("€".repeat(24)).success).toBe(true); // 72 bytes
    expect(refusal(passwordSchema, "€".repeat(25))).toMatch(/72 bytes/); // 75 bytes
    expect(passwordSchema.safeParse("😀".repeat(18)).success).toBe(true); // 72 bytes
    expect(refusal(passwordSchema, "😀".repeat(19))).toMatch(/72 bytes/); // 76 bytes, length 38
    expect(refusal(passwordSchema, "x".repeat(71) + "é")).toMatch(/72 bytes/); // 73 bytes, 72 chars
  });

  it("counts the minimum in bytes too (4 two-byte characters are enough)", () => {
    expect(passwordSchema.safeParse("éééé").success).toBe(true);
    expect(refusal(passwordSchema, "ééé")).toMatch(/at least 8/);
  });

  it("keeps the password exactly as typed (no trimming)", () => {
    expect(passwordSchema.parse("  spaced out  ")).toBe("  spaced out  ");
  });

  it("refuses non-strings", () => {
    expect(refusal(passwordSchema, 12345678)).toBe("password must be a string");
  });

  it("property: accepted exactly when the UTF-8 length is 8..72 bytes", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 80 }), (s) => {
        const n = bytes(s);
        expect(passwordSchema.safeParse(s).success).toBe(n >= 8 && n <= 72);
      }),
      { numRuns: 300 },
    );
  });
});

describe("credentialsSchema", () => {
  it("accepts an object with both fields", () => {
    expect(credentialsSchema.parse({ username: "alice", password: "password1" })).toEqual({
      username: "alice",
      password: "password1",
    });
  });

  it.each([null, [], "alice", 5])("refuses %j as a body with a message", (body) => {
    expect(refusal(credentialsSchema, body)).toMatch(/body must be a JSON object/);
  });

  it("says which field is missing or wrong", () => {
    expect(refusal(credentialsSchema, { username: "alice" })).toMatch(/password/);
    expect(refusal(credentialsSchema, { password: "password1" })).toMatch(/username/);
  });
});

describe("contentSchema (1–4000 characters after trimming)", () => {
  it("trims and keeps inner whitespace", () => {
    expect(contentSchema.parse("  hello  world \n")).toBe("hello  world");
  });

  it("accepts 1 and 4000 characters", () => {
    expect(contentSchema.parse("x")).toBe("x");
    expect(contentSchema.parse("x".repeat(4000))).toHaveLength(4000);
  });

  it("accepts 4000 characters surrounded by whitespace (the limit applies after trimming)", () => {
    expect(contentSchema.parse(`   ${"y".repeat(4000)}\n\t `)).toBe("y".repeat(4000));
  });

  it("refuses empty and whitespace-only content as empty", () => {
    expect(refusal(contentSchema, "")).toBe("message is empty");
    expect(refusal(contentSchema, " \n\t ")).toBe("message is empty");
  });

  it("refuses 4001 characters, naming the limit", () => {
    expect(refusal(contentSchema, "x".repeat(4001))).toMatch(/4000/);
  });

  it("refuses U+0000 (which PostgreSQL cannot store), saying so", () => {
    expect(refusal(contentSchema, "a\u0000b")).toBe("message may not contain the NUL character (U+0000)");
    expect(contentSchema.parse("a\u0001b")).toBe("a\u0001b");
  });

  it("makes a lone surrogate U+FFFD, as a UTF-8 encoder would, and leaves pairs alone", () => {
    expect(contentSchema.parse("a\ud800b\udfffc")).toBe("a\ufffdb\ufffdc");
    expect(contentSchema.parse("\udc00\ud83d\ude00\ud83d")).toBe("\ufffd\ud83d\ude00\ufffd");
    expect(displayNameSchema.parse(" Ann\ud800 ")).toBe("Ann\ufffd");
    expect(statusTextSchema.parse("away\udbff")).toBe("away\ufffd");
  });

  it("property: what it accepts is well-formed, and as a UTF-8 round trip would have it", () => {
    const halves = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
    const text = fc.array(fc.oneof(fc.string({ unit: "grapheme", minLength: 1, maxLength: 4 }), halves), {
      minLength: 1,
      maxLength: 20,
    });
    fc.assert(
      fc.property(text, (parts) => {
        const parsed = contentSchema.safeParse(`x${parts.join("")}`);
        if (!parsed.success) return; // NUL, from a grapheme: refused elsewhere
        expect(parsed.data.isWellFormed()).toBe(true);
        expect(parsed.data).toBe(Buffer.from(parsed.data, "utf8").toString("utf8"));
        expect(parsed.data).toBe(
          Buffer.from(`x${parts.join("")}`, "utf8")
            .toString("utf8")
            .trim(),
        );
      }),
    );
  });

  it("refuses non-strings", () => {
    expect(refusal(contentSchema, 5)).toBe("content must be a string");
    expect(refusal(contentSchema, { toString: () => "hi" })).toBe("content must be a string");
  });

  it("property: any accepted string has trimmed length 1..4000 and parses to its trimmed form", () => {
    const ws = fc.constantFrom(" ", "\n", "\t", "\r", "\u00a0", "\u2003", "\ufeff");
    const padded = fc
      .tuple(fc.string({ unit: ws, maxLength: 5 }), fc.string({ maxLength: 30 }), fc.string({ unit: ws, maxLength: 5 }))
      .map(([a, b, c]) => a + b + c);
    const nearLimit = fc
      .tuple(fc.integer({ min: 3990, max: 4010 }), fc.string({ unit: ws, maxLength: 3 }))
      .map(([n, pad]) => pad + "z".repeat(n) + pad);
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: "binary", maxLength: 50 }), padded, nearLimit), (s) => {
        const r = contentSchema.safeParse(s);
        const trimmed = s.trim();
        if (r.success) {
          expect(r.data).toBe(trimmed);
          expect(trimmed.length).toBeGreaterThanOrEqual(1);
          expect(trimmed.length).toBeLessThanOrEqual(LIMITS.contentMax);
        } else {
          // and conversely: refused only when the trimmed length is out of range, or it holds U+0000
          expect(trimmed.length === 0 || trimmed.length > LIMITS.contentMax || trimmed.includes("\u0000")).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("sendMessageSchema / wsClientFrameSchema", () => {
  const uuid = "3f2b8c1e-9a4d-4e2f-8b6a-1c2d3e4f5a6b";

  it("accepts content with or without a UUID clientId, dropping unknown keys", () => {
    expect(sendMessageSchema.parse({ content: " hi ", clientId: uuid, userId: 7 })).toEqual({
      content: "hi",
      clientId: uuid,
    });
    expect(wsClientFrameSchema.parse({ content: "hi" })).toEqual({ content: "hi" });
  });

  it("refuses a clientId that is not a UUID", () => {
    expect(refusal(sendMessageSchema, { content: "hi", clientId: "retry-1" })).toBe("clientId must be a UUID");
    expect(clientIdSchema.safeParse(uuid).success).toBe(true);
  });

  it.each([undefined, null, "hello", 5, ["hello"]])("refuses the non-object payload %j", (payload) => {
    expect(sendMessageSchema.safeParse(payload).success).toBe(false);
  });

  it("an own __proto__ key neither supplies content nor pollutes prototypes", () => {
    const payload: unknown = JSON.parse('{"__proto__": {"content": "sneaky", "polluted": true}}');
    expect(sendMessageSchema.safeParse(payload).success).toBe(false);
    const withContent: unknown = JSON.parse('{"content": "hi", "__proto__": {"polluted": true}}');
    const parsed = sendMessageSchema.parse(withContent);
    expect(parsed).toEqual({ content: "hi" });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("messagesQuerySchema", () => {
  it("defaults limit to 50 and leaves the cursors unset", () => {
    expect(messagesQuerySchema.parse({})).toEqual({ limit: 50 });
  });

  it("coerces query-string numbers", () => {
    expect(messagesQuerySchema.parse({ after: "10", limit: "20" })).toEqual({ after: 10, limit: 20 });
    expect(messagesQuerySchema.parse({ before: "7" })).toEqual({ before: 7, limit: 50 });
    expect(messagesQuerySchema.parse({ after: "0" })).toEqual({ after: 0, limit: 50 });
  });

  it("accepts limit 1 and 500, refuses 0, 501 and non-integers", () => {
    expect(messagesQuerySchema.parse({ limit: "1" }).limit).toBe(1);
    expect(messagesQuerySchema.parse({ limit: "500" }).limit).toBe(500);
    expect(refusal(messagesQuerySchema, { limit: "0" })).toMatch(/at least 1/);
    expect(refusal(messagesQuerySchema, { limit: "501" })).toMatch(/at most 500/);
    expect(refusal(messagesQuerySchema, { limit: "2.5" })).toMatch(/integer/);
    expect(refusal(messagesQuerySchema, { limit: "ten" })).toMatch(/number/);
  });

  it("after, before and around are mutually exclusive", () => {
    expect(refusal(messagesQuerySchema, { after: "1", before: "5" })).toMatch(/one of after, before or around/);
    expect(refusal(messagesQuerySchema, { around: "3", before: "5" })).toMatch(/one of after, before or around/);
  });

  it("refuses negative, fractional or non-numeric cursors", () => {
    expect(messagesQuerySchema.safeParse({ after: "-1" }).success).toBe(false);
    expect(messagesQuerySchema.safeParse({ before: "1.5" }).success).toBe(false);
    expect(messagesQuerySchema.safeParse({ after: "abc" }).success).toBe(false);
  });

  it("property: any integer limit in 1..500 round-trips; outside it is refused", () => {
    fc.assert(
      fc.property(fc.integer({ min: -100, max: 1000 }), (n) => {
        const r = messagesQuerySchema.safeParse({ limit: String(n) });
        expect(r.success).toBe(n >= 1 && n <= 500);
        if (r.success) expect(r.data.limit).toBe(n);
      }),
    );
  });
});

describe("socketAuthSchema", () => {
  it("takes a token and coerces lastMessageId", () => {
    expect(socketAuthSchema.parse({ token: "t", lastMessageId: "12" })).toEqual({ token: "t", lastMessageId: 12 });
    expect(socketAuthSchema.parse({})).toEqual({});
  });

  it("refuses an empty token and a negative lastMessageId", () => {
    expect(socketAuthSchema.safeParse({ token: "" }).success).toBe(false);
    expect(socketAuthSchema.safeParse({ token: "t", lastMessageId: -1 }).success).toBe(false);
  });
});

describe("characterCount", () => {
  it("counts code points, as iterating the string does, lone surrogates included", () => {
    const units = fc.oneof(
      fc.string({ unit: "grapheme" }),
      fc.string({ unit: "binary" }),
      fc.array(fc.integer({ min: 0xd7f0, max: 0xe010 }), { maxLength: 20 }).map((cs) => String.fromCharCode(...cs)),
    );
    fc.assert(fc.property(units, (s) => characterCount(s) === [...s].length));
  });

  it("lets content of exactly the limit through and refuses one more, counting an emoji as one", () => {
    expect(contentSchema.safeParse("🙂".repeat(LIMITS.contentMax)).success).toBe(true);
    expect(contentSchema.safeParse("🙂".repeat(LIMITS.contentMax) + "a").success).toBe(false);
    expect(contentSchema.safeParse("a".repeat(LIMITS.contentMax + 1)).success).toBe(false);
  });
});
