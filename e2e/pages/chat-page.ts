// The chat at / (general), /r/<room> and /dm/<user>: top bar (connection state, who am I, log out), the
// sidebar, the room's header, the message log, who is typing and the composer.
import { expect, type Locator, type Page } from "@playwright/test";
import { Sidebar } from "./sidebar";

export class ChatPage {
  readonly messages: Locator;
  readonly composer: Locator;
  readonly sendButton: Locator;
  readonly connectionState: Locator;
  readonly whoami: Locator;
  readonly logoutButton: Locator;
  readonly outgoing: Locator;
  readonly sidebar: Sidebar;
  /** the open conversation's name: "# general", "@alice" */
  readonly roomTitle: Locator;
  readonly typing: Locator;
  readonly historyEdge: Locator;
  readonly jumpToLatest: Locator;
  /** above the composer in edit or reply mode: "Editing message — Esc to cancel", "Replying to …" */
  readonly composerBar: Locator;
  readonly emojiPicker: Locator;

  constructor(readonly page: Page) {
    this.messages = page.getByTestId("messages");
    // a combobox: it offers @ and # completions (a listbox)
    this.composer = page.getByRole("combobox", { name: "Message", exact: true });
    this.sendButton = page.getByRole("button", { name: "Send", exact: true });
    this.connectionState = page.getByTestId("connection-state");
    this.whoami = page.getByTestId("whoami");
    this.logoutButton = page.getByRole("button", { name: "Log out" });
    this.outgoing = page.getByTestId("outgoing");
    this.sidebar = new Sidebar(page);
    this.roomTitle = page.locator(".room-header").getByRole("heading", { level: 1 });
    this.typing = page.getByTestId("typing");
    this.historyEdge = page.getByTestId("history-edge");
    this.jumpToLatest = page.getByRole("button", { name: /Jump to latest/ });
    this.composerBar = page.getByTestId("composer-bar");
    this.emojiPicker = page.getByTestId("emoji-picker");
  }

  /** Opens a room by URL and waits until it is live and titled. */
  async gotoRoom(name: string): Promise<void> {
    await this.page.goto(`/r/${name}`);
    await this.expectLive();
    await expect(this.roomTitle).toHaveText(`# ${name}`);
  }

  async expectRoom(title: string): Promise<void> {
    await expect(this.roomTitle).toHaveText(title);
  }

  /** The header's "Members" popover: opens it and returns its list. */
  async openMembers(): Promise<Locator> {
    await this.page
      .locator(".room-header")
      .getByRole("button", { name: /^Members/ })
      .click();
    const popover = this.page.locator(".popover");
    await expect(popover).toBeVisible();
    return popover.getByRole("listitem");
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

  /** Stored messages whose text starts with `content` (an edited one ends in "(edited)"). */
  messageStartingWith(content: string): Locator {
    return this.messages.getByTestId("message").filter({ has: this.page.locator(".body", { hasText: content }) });
  }

  /** The stored message with this id. */
  messageById(id: number): Locator {
    return this.messages.locator(`[data-testid="message"][data-id="${id}"]`);
  }

  /**
   * Records every message that flashes (`data-flash="true"`, set for 1.6 s after a jump) from now on, in this
   * page and in every page it loads later, so `expectFlashed` holds however late it looks: asserting on the
   * attribute itself races its timer on a busy machine.
   */
  async recordFlashes(): Promise<void> {
    await this.page.addInitScript(recordFlashes);
    await this.page.evaluate(recordFlashes);
  }

  /** The message `id` has flashed since `recordFlashes`. */
  async expectFlashed(id: number): Promise<void> {
    await expect
      .poll(() => this.page.evaluate(() => (window as FlashLog).__flashed ?? []), { message: `message ${id} flashed` })
      .toContain(id);
  }

  /** Hovers a message (its action bar shows) and clicks one of the bar's buttons by its label. */
  async messageAction(
    message: Locator,
    label: "Add reaction" | "Reply" | "Edit" | "Delete" | "Copy link" | "Copy text",
  ) {
    await message.hover();
    const button = message.getByRole("toolbar", { name: "Message actions" }).getByRole("button", { name: label });
    await expect(button).toBeVisible();
    await button.click();
  }

  /** A message's reaction chip for `emoji`. */
  reaction(message: Locator, emoji: string): Locator {
    return message.getByTestId("reactions").locator(`button[data-emoji="${emoji}"]`);
  }

  /** Opens the picker from the action bar and picks an emoji found by `search`. */
  async react(message: Locator, search: string, emojiLabel: string): Promise<void> {
    await this.messageAction(message, "Add reaction");
    await expect(this.emojiPicker).toBeVisible();
    await this.emojiPicker.getByRole("searchbox", { name: "Search emoji" }).fill(search);
    await this.emojiPicker.getByRole("button", { name: emojiLabel, exact: true }).click();
    await expect(this.emojiPicker).toBeHidden();
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

type FlashLog = Window & { __flashed?: number[] };

/** In the page: notes the id of every message whose data-flash turns "true" (in window.__flashed). */
function recordFlashes(): void {
  const log = window as FlashLog;
  if (log.__flashed) return;
  const flashed: number[] = (log.__flashed = []);
  const note = (el: Element) => {
    if (el.getAttribute("data-flash") === "true") flashed.push(Number(el.getAttribute("data-id")));
  };
  new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === "attributes") note(r.target as Element);
      for (const n of r.addedNodes) if (n instanceof Element) n.querySelectorAll("[data-flash]").forEach(note);
    }
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-flash"] });
}
