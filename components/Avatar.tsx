import type { CSSProperties } from "react";
import { initials, userColours } from "@/lib/web/user-colour";

/** Initials on the person's own colour (until uploaded avatars exist); decorative: the name is beside it. */
export function Avatar({ username }: { username: string }) {
  const style = { "--user-bg": userColours(username).light } as CSSProperties;
  return (
    <span className="avatar" aria-hidden="true" style={style}>
      {initials(username)}
    </span>
  );
}

/** The custom properties that colour a name: one per theme, chosen in globals.css (.author). */
export function nameStyle(username: string): CSSProperties {
  const { light, dark } = userColours(username);
  return { "--user-light": light, "--user-dark": dark } as CSSProperties;
}
