// A stable colour per person: a hash of the lower-cased username picks one of a few hues, drawn darker on
// the light theme and lighter on the dark one so that names pass 4.5:1 on either (test/unit/user-colour).

/** names on the light theme; also the avatars' backgrounds (white initials) in both themes */
export const LIGHT_PALETTE = [
  "#b42318",
  "#b93815",
  "#854d0e",
  "#166534",
  "#0f766e",
  "#0e6a85",
  "#1d4ed8",
  "#4338ca",
  "#6d28d9",
  "#a21caf",
  "#be185d",
] as const;

/** the same hues for names on the dark theme */
export const DARK_PALETTE = [
  "#ff8f87",
  "#fdaa74",
  "#fcd34d",
  "#86efac",
  "#5eead4",
  "#67d8f9",
  "#93c5fd",
  "#a5b4fc",
  "#c4b5fd",
  "#f0abfc",
  "#f9a8d4",
] as const;

/** FNV-1a over the code points: small, fast, and spreads similar names apart */
export function hashName(username: string): number {
  let h = 0x811c9dc5;
  for (const ch of username.toLowerCase()) {
    h ^= ch.codePointAt(0) ?? 0;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export const colourIndex = (username: string): number => hashName(username) % LIGHT_PALETTE.length;

export function userColours(username: string): { light: string; dark: string } {
  const i = colourIndex(username);
  return { light: LIGHT_PALETTE[i] ?? LIGHT_PALETTE[0], dark: DARK_PALETTE[i] ?? DARK_PALETTE[0] };
}

/** "grace.hopper" → "GH", "ada_3f" → "A": the first letter, and the next part's if it starts with a letter */
export function initials(username: string): string {
  const [first = "", second = ""] = username.split(/[_.\-\s]+/).filter(Boolean);
  const a = [...first][0] ?? "?";
  const b = /^\p{L}/u.test(second) ? ([...second][0] ?? "") : "";
  return (a + b).toLocaleUpperCase();
}
