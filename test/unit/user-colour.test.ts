import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { contrastRatio, luminance, parseHex } from "@/lib/web/contrast";
import { colourIndex, DARK_PALETTE, hashName, initials, LIGHT_PALETTE, userColours } from "@/lib/web/user-colour";

/** the theme colours behind names, read from the stylesheet so a change there is checked here */
function themeColours(): { light: Record<string, string>; dark: Record<string, string> } {
  const css = readFileSync(new URL("../../app/globals.css", import.meta.url), "utf8");
  const vars = (block: string): Record<string, string> => {
    const found: Record<string, string> = {};
    for (const [, name, value] of block.matchAll(/--([\w-]+):\s*(#[0-9a-f]{3,6})\s*;/gi)) {
      if (name && value) found[name] = value;
    }
    return found;
  };
  const light = /:root\s*{([^}]*)}/.exec(css)?.[1] ?? "";
  // the dark theme is written twice: chosen in Settings, and the system's when none is chosen
  const chosen = /:root\[data-theme="dark"\]\s*{([^}]*)}/.exec(css)?.[1] ?? "";
  const system = /@media \(prefers-color-scheme: dark\)\s*{\s*:root:not\(\[data-theme="light"\]\)\s*{([^}]*)}/.exec(
    css,
  )?.[1];
  expect(vars(system ?? "")).toEqual(vars(chosen));
  return { light: vars(light), dark: { ...vars(light), ...vars(chosen) } };
}

describe("contrast", () => {
  it("matches WCAG's reference values", () => {
    expect(contrastRatio("#000", "#fff")).toBeCloseTo(21, 5);
    expect(contrastRatio("#fff", "#fff")).toBe(1);
    expect(contrastRatio("#777777", "#ffffff")).toBeCloseTo(4.48, 2);
    expect(luminance("#ffffff")).toBe(1);
    expect(parseHex("#1d4")).toEqual([0x11, 0xdd, 0x44]);
    expect(() => parseHex("red")).toThrow(/not a hex colour/);
  });
});

describe("user colours", () => {
  const theme = themeColours();

  it("every name colour passes 4.5:1 on the backgrounds of its theme", () => {
    expect(LIGHT_PALETTE.length).toBe(DARK_PALETTE.length);
    for (const bg of ["panel", "bg", "hover"]) {
      const light = theme.light[bg];
      const dark = theme.dark[bg];
      expect(light && dark, `--${bg} in globals.css`).toBeTruthy();
      for (const c of LIGHT_PALETTE) expect(contrastRatio(c, light!), `${c} on ${light}`).toBeGreaterThanOrEqual(4.5);
      for (const c of DARK_PALETTE) expect(contrastRatio(c, dark!), `${c} on ${dark}`).toBeGreaterThanOrEqual(4.5);
    }
  });

  it("avatars' white initials pass 4.5:1 on every avatar colour", () => {
    for (const c of LIGHT_PALETTE) expect(contrastRatio("#ffffff", c), c).toBeGreaterThanOrEqual(4.5);
  });

  it("the colour is stable per user, ignores case, and spreads names over the palette", () => {
    expect(userColours("Grace")).toEqual(userColours("grace"));
    expect(hashName("ada")).toBe(hashName("ada"));
    const used = new Set(Array.from({ length: 200 }, (_, i) => colourIndex(`user${i}`)));
    expect(used.size).toBe(LIGHT_PALETTE.length);
  });
});

describe("initials", () => {
  it("takes the first letter, and the next part's when it starts with a letter", () => {
    expect(initials("grace.hopper")).toBe("GH");
    expect(initials("ada_3f2a")).toBe("A");
    expect(initials("linus")).toBe("L");
    expect(initials("émile-zola")).toBe("ÉZ");
    expect(initials("_x")).toBe("X");
  });
});
