// The /login page: one form with a toggle between "log in" and "register" modes.
import { expect, type Locator, type Page } from "@playwright/test";

export class LoginPage {
  readonly heading: Locator;
  readonly username: Locator;
  readonly password: Locator;
  readonly error: Locator;
  readonly toRegister: Locator;
  readonly submitLogin: Locator;
  readonly submitRegister: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole("heading", { level: 1 });
    this.username = page.getByLabel("Username");
    this.password = page.getByLabel("Password");
    // scoped to the form: Next's route announcer is a role=alert too
    this.error = page.locator(".auth-card").getByRole("alert");
    this.toRegister = page.getByRole("button", { name: "Create an account" });
    // in register mode "Log in" is also the name of the link back: the submit button is the one of type submit
    this.submitLogin = page.getByRole("button", { name: "Log in", exact: true }).and(page.locator("[type=submit]"));
    this.submitRegister = page.getByRole("button", { name: "Register", exact: true });
  }

  async goto(): Promise<void> {
    await this.page.goto("/login");
    await this.expectLoginMode();
    await this.waitForHydration();
  }

  async expectLoginMode(): Promise<void> {
    await expect(this.heading).toHaveText("Welcome back");
  }

  async switchToRegister(): Promise<void> {
    await this.toRegister.click();
    await expect(this.heading).toHaveText("Create your account");
  }

  async fill(username: string, password: string): Promise<void> {
    await this.username.fill(username);
    await this.password.fill(password);
  }

  /** Registers through the UI (register mode); the app logs the new user in and opens the chat. */
  async register(username: string, password: string): Promise<void> {
    await this.goto();
    await this.switchToRegister();
    await this.fill(username, password);
    await this.submitRegister.click();
    await this.expectChat();
  }

  /** Submits the login form; does not wait for the outcome (see `login` for the happy path). */
  async submitCredentials(username: string, password: string): Promise<void> {
    await this.goto();
    await this.fill(username, password);
    await this.submitLogin.click();
  }

  async login(username: string, password: string): Promise<void> {
    await this.submitCredentials(username, password);
    await this.expectChat();
  }

  /** After a submit that should succeed: the chat opens; if the form shows an error instead, fail with it. */
  async expectChat(): Promise<void> {
    await expect(this.page.getByTestId("whoami").or(this.error)).toBeVisible();
    if (await this.error.isVisible()) throw new Error(`the form refused: ${await this.error.innerText()}`);
    await expect(this.page).toHaveURL("/");
  }

  async expectError(text: string | RegExp): Promise<void> {
    await expect(this.error).toContainText(text);
    await expect(this.page).toHaveURL(/\/login(\?|$)/);
  }

  /**
   * The form is server-rendered: until React hydrates it, the toggle does nothing and a submit is a native
   * GET. React marks the DOM nodes it owns with `__reactProps$…` keys once it has attached its handlers.
   */
  async waitForHydration(): Promise<void> {
    await this.page.waitForFunction(() => {
      const form = document.querySelector("form.auth-card");
      return form !== null && Object.keys(form).some((key) => key.startsWith("__reactProps$"));
    });
  }
}
