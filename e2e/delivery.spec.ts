// Delivery in the browser, killed server and all: a message sent while the server is down waits as
// "sending", goes out when the server is back, and is shown exactly once (stored once, too).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { expect, test } from "@playwright/test";
import { SESSION_COOKIE, type LoginResponse } from "../lib/protocol";
import { ChatPage } from "./pages/chat-page";
import { freePort, startServer, waitHealthy, type ServerProcess } from "./support/server-process";

// a server of its own beside the suite's, on a port the OS finds free (kept across its restart), so that
// suites in two checkouts can run side by side
let PORT = 0;
let base = "";
test.beforeAll(async () => {
  PORT = await freePort();
  base = `http://127.0.0.1:${PORT}`;
});

test("a message sent while the server is down is delivered once after it restarts", async ({ browser }) => {
  test.setTimeout(120_000);
  const dataDir = mkdtempSync(path.join(tmpdir(), "chatterbox-e2e-delivery-"));
  let server: ServerProcess = startServer(PORT, dataDir);
  const context = await browser.newContext({ baseURL: base });
  try {
    await waitHealthy(base);
    const credentials = { username: "steady", password: "steady password" };
    expect((await fetch(`${base}/register`, { method: "POST", body: JSON.stringify(credentials) })).status).toBe(200);
    const login = await fetch(`${base}/login`, { method: "POST", body: JSON.stringify(credentials) });
    const { token } = (await login.json()) as LoginResponse;
    await context.addCookies([{ name: SESSION_COOKIE, value: token, url: base, httpOnly: true, sameSite: "Lax" }]);

    const chat = new ChatPage(await context.newPage());
    await chat.goto();
    await chat.send("before the crash");

    // the server dies without a goodbye
    server.child.kill("SIGKILL");
    await server.exited();
    await expect(chat.connectionState).toHaveAttribute("data-state", "reconnecting");

    await chat.composer.fill("sent while the server was down");
    await chat.composer.press("Enter");
    await expect(chat.outgoing).toHaveAttribute("data-state", "sending");
    // a clock in the place its ✓ will take, so that the ack does not reflow the line (a "Sending…" row did)
    await expect(chat.outgoing.getByTestId("sending")).toBeVisible();
    const pendingBody = await chat.outgoing.locator(".body").boundingBox();
    const pendingRow = await chat.outgoing.boundingBox();

    server = startServer(PORT, dataDir);
    await waitHealthy(base);
    await expect(chat.connectionState).toHaveAttribute("data-state", "live", { timeout: 30_000 });
    const delivered = chat.message("sent while the server was down");
    await expect(delivered).toHaveCount(1, { timeout: 20_000 });
    await expect(delivered.getByTestId("sent")).toBeVisible();
    const sentBody = await delivered.locator(".body").boundingBox();
    // the row keeps its height too (a "Sending…" row under the text went away with the ack)
    expect((await delivered.boundingBox())!.height).toBeCloseTo(pendingRow!.height, 0);
    expect({ x: sentBody!.x, width: sentBody!.width, height: sentBody!.height }).toEqual({
      x: pendingBody!.x,
      width: pendingBody!.width,
      height: pendingBody!.height,
    });
    await expect(chat.outgoing).toHaveCount(0);
    await expect(chat.message("before the crash")).toHaveCount(1);

    // stored once, and a reload shows it once
    const db = new Database(path.join(dataDir, "server.db"), { readonly: true });
    try {
      const row = db
        .prepare("SELECT count(*) AS n FROM Message WHERE content = ?")
        .get("sent while the server was down");
      expect(row).toEqual({ n: 1 });
    } finally {
      db.close();
    }
    await chat.page.reload();
    await chat.expectLive();
    await expect(chat.message("sent while the server was down")).toHaveCount(1);
  } finally {
    await context.close();
    server.child.kill("SIGKILL");
    await server.exited();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
