import { describe, expect, it } from "vitest";
import { messageHref, messageIdOfHash } from "@/lib/web/routes";

describe("message links", () => {
  it("name the conversation's page and the message", () => {
    expect(messageHref({ kind: "room", name: "dev" }, 42)).toBe("/r/dev#m42");
    expect(messageHref({ kind: "dm", peer: "bob" }, 7)).toBe("/dm/bob#m7");
  });

  it("are read back from the hash; anything else names no message", () => {
    expect(messageIdOfHash("#m42")).toBe(42);
    for (const hash of ["", "#", "#m", "#m0", "#m-1", "#m4x", "#x42", "m42", "#m12345678901234567"])
      expect(messageIdOfHash(hash), hash).toBeNull();
  });
});
