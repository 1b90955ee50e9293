// Routes the seed's paths: POST /login, /register and /logout are the JSON API while GET shows the pages,
// and GET / answers non-browser clients with the seed's status JSON.
import { NextResponse, type NextRequest } from "next/server";

const API_POSTS = new Set(["/login", "/register", "/logout"]);

export function proxy(req: NextRequest): NextResponse {
  const { pathname } = req.nextUrl;
  if (req.method === "POST" && API_POSTS.has(pathname)) {
    return NextResponse.rewrite(new URL(`/api${pathname}`, req.url));
  }
  if (pathname === "/" && req.method === "GET" && !(req.headers.get("accept") ?? "").includes("text/html")) {
    return NextResponse.rewrite(new URL("/api/status", req.url));
  }
  return NextResponse.next();
}

export const config = { matcher: ["/", "/login", "/register", "/logout"] };
