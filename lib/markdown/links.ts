// Which URLs may become links: web pages and e-mail addresses only. `javascript:`, `data:`, `file:`, relative
// paths and everything else stay text.

const ALLOWED_PROTOCOLS = new Set(["http:", "https:", "mailto:"]);

/** The URL's scheme is http, https or mailto (checked on the parsed URL, so case and escapes cannot hide it). */
export function isAllowedHref(href: string): boolean {
  try {
    return ALLOWED_PROTOCOLS.has(new URL(href).protocol);
  } catch {
    return false;
  }
}

/** The attributes every link in a message gets: a new tab, no opener, no referrer, no endorsement. */
export const LINK_REL = "noopener noreferrer nofollow";
export const LINK_TARGET = "_blank";
