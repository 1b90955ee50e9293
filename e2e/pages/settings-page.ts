// The settings page (/settings): profile, password, sessions, theme.
import { expect, type Locator, type Page } from "@playwright/test";

export class SettingsPage {
  readonly profile: Locator;
  readonly password: Locator;
  readonly sessions: Locator;
  readonly theme: Locator;

  constructor(readonly page: Page) {
    this.profile = page.getByTestId("settings-profile");
    this.password = page.getByTestId("settings-password");
    this.sessions = page.getByTestId("settings-sessions");
    this.theme = page.getByTestId("settings-theme");
  }

  async goto(): Promise<void> {
    await this.page.goto("/settings");
    await expect(this.page.getByRole("heading", { name: "Settings", level: 1 })).toBeVisible();
    await expect(this.profile.getByLabel("Display name")).toBeEnabled();
  }

  async saveProfile(fields: { displayName?: string; status?: string }): Promise<void> {
    if (fields.displayName !== undefined) await this.profile.getByLabel("Display name").fill(fields.displayName);
    if (fields.status !== undefined) await this.profile.getByLabel("Status").fill(fields.status);
    await this.profile.getByRole("button", { name: "Save profile" }).click();
    await expect(this.profile.getByRole("status")).toHaveText("Profile saved");
  }

  async uploadAvatar(png: Buffer): Promise<void> {
    await this.profile
      .getByTestId("avatar-input")
      .setInputFiles({ name: "me.png", mimeType: "image/png", buffer: png });
    await expect(this.profile.locator("img.avatar")).toBeVisible();
    await expect(this.profile.getByText("Change picture")).toBeVisible();
  }

  async changePassword(current: string, next: string): Promise<void> {
    await this.password.getByLabel("Current password").fill(current);
    await this.password.getByLabel("New password", { exact: true }).fill(next);
    await this.password.getByLabel("New password again").fill(next);
    await this.password.getByRole("button", { name: "Change password" }).click();
  }

  async chooseTheme(label: "Same as the system" | "Light" | "Dark"): Promise<void> {
    await this.theme.getByLabel(label).check();
  }
}
