import type { CSSProperties } from "react";
import { avatarSrc } from "@/lib/protocol";
import { initials, userColours } from "@/lib/web/user-colour";

interface Props {
  username: string;
  /** the uploaded avatar; without one, the initials on the person's own colour */
  url?: string | null | undefined;
  /** the size it is drawn at, in CSS pixels: picks the 64 or 256 px image */
  px?: number;
  className?: string;
}

/** Decorative: the name is always beside it. */
export function Avatar({ username, url, px = 36, className = "avatar" }: Props) {
  if (url) {
    // the server's own square WebP: the 64 px one wherever that is enough
    return <img className={className} src={avatarSrc(url, px)} alt="" width={px} height={px} draggable={false} />;
  }
  const style = { "--user-bg": userColours(username).light } as CSSProperties;
  return (
    <span className={className} aria-hidden="true" style={style}>
      {initials(username)}
    </span>
  );
}

/** The custom properties that colour a name: one per theme, chosen in globals.css (.author). */
export function nameStyle(username: string): CSSProperties {
  const { light, dark } = userColours(username);
  return { "--user-light": light, "--user-dark": dark } as CSSProperties;
}
