// Administration helpers for the e2e suite: the suite server's database file, `npm run admin` against it (the
// way a locked-out owner makes an admin while the server runs), and a page object for /admin.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import { expect, type APIRequestContext, type Locator, type Page } from "@playwright/test";
import type { InviteCreated, RegistrationMode } from "../../lib/protocol";
import { bearer } from "../fixtures";

/** the suite server's SQLite file (playwright.config.ts keeps the data dir in E2E_DATA_DIR) */
export function suiteDatabase(): string {
  const dir = process.env.E2E_DATA_DIR;
  if (!dir) throw new Error("E2E_DATA_DIR is not set: run through playwright.config.ts");
  return path.join(dir, "e2e.db");
}

/** `npm run admin -- <args>` on the suite's database, beside the running server; its output */
export async function adminCli(...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)("npx", ["tsx", "scripts/admin.ts", ...args], {
    env: { ...process.env, DATABASE_URL: `file:${suiteDatabase()}` },
  });
  return stdout;
}

export async function setRegistration(
  request: APIRequestContext,
  token: string,
  mode: RegistrationMode,
): Promise<void> {
  const res = await request.put("/api/admin/settings", { headers: bearer(token), data: { registration: mode } });
  expect(res.status(), await res.text()).toBe(200);
}

export async function apiInvite(request: APIRequestContext, token: string): Promise<InviteCreated["invite"]> {
  const res = await request.post("/api/admin/invites", { headers: bearer(token), data: {} });
  expect(res.status(), await res.text()).toBe(201);
  return ((await res.json()) as InviteCreated).invite;
}

/** moves an invite's expiry into the past behind the server's back (the server's clock cannot be moved) */
export function expireInvite(id: number): void {
  const db = new Database(suiteDatabase(), { timeout: 5000 });
  try {
    db.prepare(`UPDATE "Invite" SET "expiresAt" = '2000-01-01T00:00:00.000+00:00' WHERE "id" = ?`).run(id);
  } finally {
    db.close();
  }
}

export class AdminPage {
  readonly search: Locator;
  readonly auditLog: Locator;
  readonly inviteUrl: Locator;

  constructor(readonly page: Page) {
    this.search = page.getByLabel("Search by username");
    this.auditLog = page.getByTestId("audit-log");
    this.inviteUrl = page.getByTestId("invite-url");
  }

  async goto(): Promise<void> {
    await this.page.goto("/admin");
    await expect(this.page.getByRole("heading", { name: "People" })).toBeVisible();
  }

  row(username: string): Locator {
    return this.page.getByTestId(`user-${username}`);
  }

  async find(username: string): Promise<Locator> {
    await this.search.fill(username);
    const row = this.row(username);
    await expect(row).toBeVisible();
    return row;
  }

  async deactivate(username: string): Promise<void> {
    const row = await this.find(username);
    await row.getByRole("button", { name: `Deactivate ${username}` }).click();
    await row.getByRole("button", { name: `Confirm: deactivate ${username}` }).click();
    await expect(row.getByText("Deactivated", { exact: true })).toBeVisible();
  }

  async chooseRegistration(label: "Open" | "Invite only" | "Closed"): Promise<void> {
    await this.page.getByRole("radio", { name: new RegExp(`^${label}`) }).check();
    await expect(this.page.getByRole("status").filter({ hasText: "Registration is now" })).toBeVisible();
  }

  /** makes an invite link in the page and reads it from the page */
  async createInvite(): Promise<string> {
    await this.page.getByRole("button", { name: "Create invite link" }).click();
    await expect(this.inviteUrl).toBeVisible();
    return this.inviteUrl.inputValue();
  }
}
