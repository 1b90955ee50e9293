// The chat at /: header (connection state, who am I, log out), the message log and the composer.
import { expect, type Locator, type Page } from "@playwright/test";

export class ChatPage {
  readonly messages: Locator;
  readonly composer: Locator;
  readonly sendButton: Locator;
  readonly connectionState: Locator;
  readonly whoami: Locator;
  readonly logoutButton: Locator;
  readonly outgoing: Locator;

  constructor(readonly page: Page) {
    this.messages = page.getByTestId("messages");
    this.composer = page.getByRole("textbox", { name: "Message", exact: true });
    this.sendButton = page.getByRole("button", { name: "Send", exact: true });
    this.connectionState = page.getByTestId("connection-state");
    this.whoami = page.getByTestId("whoami");
    this.logoutButton = page.getByRole("button", { name: "Log out" });
    this.outgoing = page.getByTestId("outgoing");
  }

  async goto(): Promise<void> {
    await this.page.goto("/");
    await this.expectLive();
  }

  async expectSignedInAs(username: string): Promise<void> {
    await expect(this.page).toHaveURL("/");
    await expect(this.whoami).toHaveText(username);
  }

  async expectLive(): Promise<void> {
    await expect(this.connectionState).toHaveText("Live");
    await expect(this.connectionState).toHaveAttribute("data-state", "live");
  }

  /** Stored messages (not pending ones) whose text is exactly `content`. */
  message(content: string): Locator {
    return this.messages.getByTestId("message").filter({ has: this.page.getByText(content, { exact: true }) });
  }

  /** Types `content` and presses Enter, then waits until the server has stored it. */
  async send(content: string): Promise<Locator> {
    await this.composer.fill(content);
    await this.composer.press("Enter");
    await expect(this.composer).toHaveValue("");
    const message = this.message(content);
    await expect(message).toHaveCount(1);
    await expect(this.outgoing).toHaveCount(0);
    return message;
  }

  async expectMessage(content: string, { author, own }: { author: string; own: boolean }): Promise<void> {
    const message = this.message(content);
    await expect(message).toHaveCount(1);
    await expect(message.locator(".author")).toHaveText(author);
    if (own) await expect(message).toHaveClass(/(^|\s)own(\s|$)/);
    else await expect(message).not.toHaveClass(/(^|\s)own(\s|$)/);
  }

  /** Clicks "Log out" and waits for the login form (the URL alone is not enough: /login redirects a session to /). */
  async logout(): Promise<void> {
    await this.logoutButton.click();
    await expect(this.page).toHaveURL(/\/login$/);
    await expect(this.page.getByRole("heading", { name: "Welcome back" })).toBeVisible();
  }
}
