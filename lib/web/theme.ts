// The colour theme: the system's, or light or dark as chosen in Settings. Remembered in a cookie (not
// HttpOnly: the page sets it) that the root layout reads, so the server writes data-theme on <html> and the
// first paint is already in the chosen theme, with no script before it. Pure: the server imports it too.

export const THEMES = ["system", "light", "dark"] as const;
export type Theme = (typeof THEMES)[number];
export const THEME_COOKIE = "chatterbox_theme";
const YEAR_SECONDS = 365 * 24 * 60 * 60;

export function parseTheme(value: string | undefined | null): Theme {
  return THEMES.find((t) => t === value) ?? "system";
}

/** The data-theme attribute for a theme: none for the system's (the CSS follows prefers-color-scheme). */
export const themeAttribute = (theme: Theme): "light" | "dark" | undefined => (theme === "system" ? undefined : theme);

/** Applies `theme` to this page at once and remembers it for the next (a year, this browser). */
export function chooseTheme(theme: Theme): void {
  const attribute = themeAttribute(theme);
  if (attribute) document.documentElement.dataset.theme = attribute;
  else delete document.documentElement.dataset.theme;
  document.cookie = `${THEME_COOKIE}=${theme}; Path=/; Max-Age=${YEAR_SECONDS}; SameSite=Lax`;
}
