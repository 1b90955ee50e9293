// What the two proxy suites (test/security/proxy-*.integration.test.ts) ask of a server: a registration from a
// given address with given headers, and the session cookie a login with given headers sets.
import { postFrom, uniqueName, type RawResponse } from "./security";
import type { TestServer } from "./test-server";

export const PROXY_TEST_PASSWORD = "correct horse battery";

export const registerFrom = (
  server: TestServer,
  from: string,
  headers: Record<string, string> = {},
): Promise<RawResponse> =>
  postFrom(
    server.url,
    "/register",
    { username: uniqueName("px"), password: PROXY_TEST_PASSWORD },
    { localAddress: from, headers },
  );

/** The Set-Cookie of a successful POST /login sent with `headers` (the account is made through the service). */
export async function loginCookie(server: TestServer, headers: Record<string, string>): Promise<string> {
  const username = uniqueName("pc");
  await server.services.auth.register({ username, password: PROXY_TEST_PASSWORD }, `setup:${username}`);
  const res = await postFrom(server.url, "/login", { username, password: PROXY_TEST_PASSWORD }, { headers });
  if (res.status !== 200) throw new Error(`login: ${res.status} ${res.body}`);
  return res.headers["set-cookie"]?.[0] ?? "";
}
