// The seed's paths on top of Next's routes: POST /login, /register and /logout are the JSON API (their GET
// shows the pages) and GET / answers non-browser clients with the seed's status JSON. The server factory
// applies this before routing; a Next proxy rewrite would re-send it over HTTP (and lose the client's
// address and Origin) whenever Next's idea of the host differs from the request's.
const API_POSTS = new Set(["/login", "/register", "/logout"]);

/** The path to serve instead, or undefined to leave the request as it is. */
export function legacyRoute(method: string | undefined, url: string | undefined, accept: string | undefined) {
  const raw = url ?? "/";
  const q = raw.indexOf("?");
  const pathname = q === -1 ? raw : raw.slice(0, q);
  const search = q === -1 ? "" : raw.slice(q);
  if (method === "POST" && API_POSTS.has(pathname)) return `/api${pathname}${search}`;
  // Next's own client navigations (RSC fetches: `?_rsc=` and Accept: text/x-component) go to the page
  const nextNavigation = search.includes("_rsc=") || (accept ?? "").includes("text/x-component");
  if (
    pathname === "/" &&
    (method === "GET" || method === "HEAD") &&
    !nextNavigation &&
    !(accept ?? "").includes("text/html")
  ) {
    return `/api/status${search}`;
  }
  return undefined;
}
