// After a redirect to /login, the form goes back to the page asked for: only ever a path of this site.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { returnPath } from "@/lib/web/routes";

describe("returnPath", () => {
  it("keeps a page of this site with its query", () => {
    expect(returnPath("/r/ops?m=20")).toBe("/r/ops?m=20");
    expect(returnPath("/dm/bob")).toBe("/dm/bob");
    expect(returnPath("/settings")).toBe("/settings");
    expect(returnPath("/")).toBe("/");
  });

  it("refuses another site, however it is written, and the login pages themselves", () => {
    for (const bad of [
      "//evil.example/x",
      "/\\evil.example",
      "/..//evil.example",
      "/.//evil.example",
      "https://evil.example",
      "evil.example",
      "javascript:alert(1)",
      "/\t/evil.example",
      "/login?next=/r/ops",
      "/register",
      "",
      undefined,
      ["/r/ops"],
    ])
      expect(returnPath(bad)).toBeNull();
  });

  it("never leads off the site, for any string", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.stringMatching(/^[/.\\a-z:%]{0,12}$/)), (s) => {
        const back = returnPath(s);
        if (back === null) return;
        expect(back.startsWith("/")).toBe(true);
        expect(back.startsWith("//")).toBe(false);
        expect(new URL(back, "https://chat.example").origin).toBe("https://chat.example");
      }),
    );
  });
});
