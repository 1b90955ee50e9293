// The sidebar: your rooms and DMs (with unread badges and presence dots), People, and the room dialogs.
import { expect, type Locator, type Page } from "@playwright/test";

export class Sidebar {
  readonly root: Locator;
  readonly rooms: Locator;
  readonly directMessages: Locator;
  readonly people: Locator;
  readonly createRoomButton: Locator;
  readonly browseRoomsButton: Locator;
  /** the phone-width menu button that shows and hides the sidebar */
  readonly menuButton: Locator;
  readonly dialog: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByRole("navigation", { name: "Rooms and people" });
    this.rooms = this.root.getByRole("region", { name: "Rooms" });
    this.directMessages = this.root.getByRole("region", { name: "Direct messages" });
    this.people = this.root.getByRole("region", { name: "People" });
    this.createRoomButton = this.root.getByRole("button", { name: "Create a room" });
    this.browseRoomsButton = this.root.getByRole("button", { name: "Browse rooms" });
    this.menuButton = page.getByRole("button", { name: "Rooms and people" });
    this.dialog = page.getByRole("dialog");
  }

  /** A room's link (by its exact name) among the user's rooms. */
  room(name: string): Locator {
    return this.rooms.locator(`a[data-room="${name}"]`);
  }

  /** The DM with `peer` among the user's conversations. */
  dm(peer: string): Locator {
    return this.directMessages.locator(`a[href="/dm/${peer}"]`);
  }

  /** `peer` in the People list. */
  person(peer: string): Locator {
    return this.people.locator(`a[href="/dm/${peer}"]`);
  }

  unread(link: Locator): Locator {
    return link.getByTestId("unread");
  }

  async expectUnread(link: Locator, count: number): Promise<void> {
    if (count === 0) {
      await expect(this.unread(link)).toHaveCount(0);
      return;
    }
    await expect(this.unread(link)).toHaveAccessibleName(`${count} unread`);
    await expect(this.unread(link)).toHaveText(String(count));
  }

  async expectPresence(link: Locator, online: boolean): Promise<void> {
    await expect(link.locator(".presence")).toHaveAttribute("data-online", String(online));
  }

  /** Opens the create dialog, fills it and submits; does not wait for the outcome. */
  async submitCreateRoom(name: string, { isPrivate = false } = {}): Promise<void> {
    await this.createRoomButton.click();
    await expect(this.dialog).toBeVisible();
    await this.dialog.getByLabel("Room name").fill(name);
    if (isPrivate) await this.dialog.getByRole("checkbox", { name: /Private/ }).check();
    await this.dialog.getByRole("button", { name: "Create" }).click();
  }

  /** Creates a room through the dialog and waits until it is open. */
  async createRoom(name: string, options: { isPrivate?: boolean } = {}): Promise<void> {
    await this.submitCreateRoom(name, options);
    await expect(this.dialog).toBeHidden();
    await expect(this.page).toHaveURL(`/r/${name}`);
    await expect(this.room(name)).toHaveAttribute("aria-current", "page");
  }

  async openDirectory(): Promise<Locator> {
    await this.browseRoomsButton.click();
    await expect(this.dialog).toBeVisible();
    return this.dialog.getByRole("list", { name: "Public rooms" });
  }

  /** Joins a public room from "Browse rooms" and waits until it is open. */
  async joinFromDirectory(name: string): Promise<void> {
    await this.openDirectory();
    await this.dialog.getByRole("button", { name: `Join # ${name}` }).click();
    await expect(this.dialog).toBeHidden();
    await expect(this.page).toHaveURL(`/r/${name}`);
    await expect(this.room(name)).toBeVisible();
  }
}
