// Issue 4, point 7 (headers) against the real production server (`npm start`): every page carries a
// Content-Security-Policy with a fresh nonce that Next puts on its own scripts, no inline script runs without
// it, the page cannot be framed, and the chat works under that policy without a single violation. API
// responses carry nosniff. (Hostile message content shown as text is covered in chat.spec.ts.)
import type { APIResponse, Page } from "@playwright/test";
import { SESSION_COOKIE } from "../lib/protocol";
import { apiLogin, apiRegister, expect, signInViaApi, test, uniqueText, uniqueUsername } from "./fixtures";

/** The policy as a map: directive → its source list. */
function parseCsp(header: string | undefined): Map<string, string[]> {
  expect(header, "Content-Security-Policy header").toBeTruthy();
  const directives = new Map<string, string[]>();
  for (const part of header!.split(";")) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) directives.set(name.toLowerCase(), sources);
  }
  return directives;
}

/** The nonce in script-src (there must be exactly one). */
function nonceOf(csp: Map<string, string[]>): string {
  const nonces = (csp.get("script-src") ?? []).filter((s) => s.startsWith("'nonce-"));
  expect(nonces).toHaveLength(1);
  return nonces[0]!.slice("'nonce-".length, -1);
}

function expectPageHeaders(res: APIResponse): Map<string, string[]> {
  const headers = res.headers();
  const csp = parseCsp(headers["content-security-policy"]);
  const scriptSrc = csp.get("script-src") ?? [];
  expect(scriptSrc).not.toContain("'unsafe-inline'");
  expect(scriptSrc).not.toContain("'unsafe-eval'");
  expect(scriptSrc.some((s) => s === "*" || s === "http:" || s === "https:" || s === "data:")).toBe(false);
  expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
  expect(csp.get("object-src")).toEqual(["'none'"]);
  expect(csp.get("base-uri")).toEqual(["'self'"]);
  expect(csp.get("default-src")).toEqual(["'self'"]);
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["x-frame-options"]?.toUpperCase()).toBe("DENY");
  expect(["no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"]).toContain(
    headers["referrer-policy"],
  );
  return csp;
}

/** Every <script> tag in the HTML carries the response's nonce (Next's inline bootstrap included). */
function expectScriptsNonced(html: string, nonce: string): void {
  const tags = html.match(/<script\b[^>]*>/g) ?? [];
  expect(tags.length).toBeGreaterThan(0);
  for (const tag of tags) expect(tag, tag).toContain(`nonce="${nonce}"`);
}

/** CSP violations seen by the page: console reports, page errors and securitypolicyviolation events. */
async function watchCsp(page: Page): Promise<() => Promise<string[]>> {
  const seen: string[] = [];
  page.on("console", (m) => {
    if (/content security policy|refused to (execute|load|apply|evaluate|connect|frame)/i.test(m.text())) {
      seen.push(`console ${m.type()}: ${m.text()}`);
    }
  });
  page.on("pageerror", (err) => seen.push(`pageerror: ${err.message}`));
  await page.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener("securitypolicyviolation", (e) => {
      w.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  return async () => [
    ...seen,
    ...(await page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? [])).map((v) => `event: ${v}`),
  ];
}

test.describe("page headers", () => {
  test("/login: a CSP with a per-request nonce on every script, frame-ancestors 'none', nosniff, Referrer-Policy, X-Frame-Options", async ({
    request,
  }) => {
    const first = await request.get("/login", { headers: { accept: "text/html" } });
    const second = await request.get("/login", { headers: { accept: "text/html" } });
    expect(first.status()).toBe(200);
    expect(second.status()).toBe(200);
    const [a, b] = [nonceOf(expectPageHeaders(first)), nonceOf(expectPageHeaders(second))];
    // at least 128 bits, and never the same twice
    expect(Buffer.from(a, "base64").length).toBeGreaterThanOrEqual(16);
    expect(a).not.toBe(b);
    expectScriptsNonced(await first.text(), a);
    expectScriptsNonced(await second.text(), b);
  });

  test("the signed-in chat page carries the same headers, with its own nonce", async ({ request, serverURL }) => {
    const username = uniqueUsername("csp");
    await apiRegister(request, username);
    const token = await apiLogin(request, username);
    const page = await request.get(serverURL + "/", {
      headers: { accept: "text/html", cookie: `${SESSION_COOKIE}=${token}` },
      maxRedirects: 0,
    });
    expect(page.status()).toBe(200);
    const nonce = nonceOf(expectPageHeaders(page));
    expectScriptsNonced(await page.text(), nonce);
  });

  test("API responses carry nosniff (and the static security headers)", async ({ request, apiUser }) => {
    const responses = [
      await request.get("/api/health"),
      await request.get("/", { headers: { accept: "application/json" } }),
      await request.get("/api/messages", { headers: { authorization: `Bearer ${apiUser.token}` } }),
      await request.get("/api/messages"),
      await request.post("/login", { data: { username: apiUser.username, password: "wrong password!" } }),
    ];
    for (const res of responses) {
      expect(res.headers()["content-type"], res.url()).toMatch(/^application\/json/);
      expect(res.headers()["x-content-type-options"], res.url()).toBe("nosniff");
      expect(res.headers()["x-frame-options"]?.toUpperCase(), res.url()).toBe("DENY");
    }
  });
});

test.describe("the policy in a browser", () => {
  test("the chat works under the CSP: sign in, go live, send and receive, reload — no violation, no page error", async ({
    alice,
    bob,
    request,
    serverURL,
  }) => {
    const aliceViolations = await watchCsp(alice.page);
    const bobViolations = await watchCsp(bob.page);
    // alice through the login form (the page's own scripts, hydrated under the policy)
    await apiRegister(request, alice.username, alice.password);
    await alice.loginPage.login(alice.username, alice.password);
    await alice.chatPage.expectSignedInAs(alice.username);
    await alice.chatPage.expectLive();
    await signInViaApi(request, bob, serverURL);

    const text = uniqueText("under the CSP");
    await alice.chatPage.send(text);
    await bob.chatPage.expectMessage(text, { author: alice.username, own: false });
    await bob.page.reload();
    await bob.chatPage.expectLive();
    await bob.chatPage.expectMessage(text, { author: alice.username, own: false });

    // not one: no inline script, style, connection or eval (zod runs jitless in the browser, see lib/protocol.ts)
    expect(await aliceViolations()).toEqual([]);
    expect(await bobViolations()).toEqual([]);
  });

  test("markup injected into a page cannot run script: no nonce, a wrong nonce, an inline handler, eval", async ({
    alice,
  }) => {
    const { page } = alice;
    const violations = await watchCsp(page);
    // what an injection bug would put in the HTML: the server's real response and headers, plus hostile markup
    await page.route("**/login", async (route) => {
      const response = await route.fetch();
      const nonce = nonceOf(parseCsp(response.headers()["content-security-policy"]));
      const hostile = [
        "<script>window.__noNonce = true</script>",
        '<script nonce="AAAAAAAAAAAAAAAAAAAAAA==">window.__wrongNonce = true</script>',
        '<img src="/nope.png" onerror="window.__handler = true">',
        // a script the policy trusts (right nonce) may still not turn strings into code
        `<script nonce="${nonce}">try { eval("window.__eval = true"); } catch (e) { window.__evalError = e.name; }</script>`,
      ].join("");
      const html = (await response.text()).replace("</body>", `${hostile}</body>`);
      await route.fulfill({ response, body: html });
    });
    await alice.loginPage.goto(); // the page still hydrates: Next's own nonced scripts run
    const ran = await page.evaluate(() => {
      const w = window as unknown as Record<string, unknown>;
      return {
        noNonce: w.__noNonce,
        wrongNonce: w.__wrongNonce,
        handler: w.__handler,
        eval: w.__eval,
        evalError: w.__evalError,
      };
    });
    expect(ran).toEqual({
      noNonce: undefined,
      wrongNonce: undefined,
      handler: undefined,
      eval: undefined,
      evalError: "EvalError",
    });
    const seen = await violations();
    expect(seen.filter((v) => /script-src/.test(v)).length).toBeGreaterThanOrEqual(3);
  });

  test("another site cannot frame the app (frame-ancestors 'none')", async ({ page, serverURL }) => {
    // a page on another origin with two frames: one of its own (the control) and the app's login page
    await page.route("http://other.example/**", (route) =>
      route.fulfill({
        contentType: "text/html",
        body: route.request().url().endsWith("/inner")
          ? "<p>inner frame</p>"
          : `<iframe id="own" src="/inner"></iframe><iframe id="app" src="${serverURL}/login"></iframe>`,
      }),
    );
    await page.goto("http://other.example/");
    await expect(page.frameLocator("#own").getByText("inner frame")).toBeVisible();
    await expect
      .poll(() => page.frames().map((f) => f.url()))
      .toEqual(expect.arrayContaining(["chrome-error://chromewebdata/"]));
    expect(page.frames().some((f) => f.url().startsWith(serverURL))).toBe(false);
    await expect(page.frameLocator("#app").getByRole("button", { name: "Log in", exact: true })).toHaveCount(0);
  });
});
