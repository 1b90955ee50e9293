// Search in the browser (SPEC.md "Search"): two users in separate contexts. The top-bar box (focused by `/`),
// operator suggestions, results grouped by room with the words marked, load more, and a result far back
// opening its room at that message, flashed.
import { connect, createRoom, expect, sendMessage, sendMessages, test, uniqueText, type ChatUser } from "./fixtures";

test.describe("search", () => {
  let alice: ChatUser;
  let bob: ChatUser;
  let aliceToken: string;
  let bobToken: string;

  test.beforeEach(async ({ alice: a, bob: b, signIn }) => {
    alice = a;
    bob = b;
    [aliceToken, bobToken] = await signIn(alice, bob);
  });

  test("finds the other's messages by word and from:, grouped by room, the words marked", async ({ socket }) => {
    const tag = uniqueText("kw").replace(" ", "");
    const s = await connect(socket({ token: aliceToken }));
    const room = `srch${tag.slice(-6)}`;
    await createRoom(s, room);
    await sendMessage(s, `${tag} deploying the Café build`, { room });
    await sendMessage(s, `${tag} deploy notes in general`);
    const b = await connect(socket({ token: bobToken }));
    await sendMessage(b, `${tag} something from bob`);

    // bob is not in alice's room: only general's messages are his to find
    const box = bob.page.getByRole("combobox", { name: "Search messages" });
    await bob.page.locator(".brand").click();
    await bob.page.keyboard.press("/");
    await expect(box).toBeFocused();
    await box.fill(`${tag} deploy*`);
    await box.press("Enter");
    const panel = bob.page.getByTestId("search-panel");
    await expect(panel.getByTestId("search-result")).toHaveCount(1);
    await expect(panel.getByRole("region", { name: "# general" })).toBeVisible();
    await expect(panel.locator("mark")).toHaveText([tag, "deploy"]);

    // alice sees both rooms; `cafe` finds `Café`
    const aliceBox = alice.page.getByRole("combobox", { name: "Search messages" });
    await aliceBox.fill(`${tag} cafe`);
    await aliceBox.press("Enter");
    const alicePanel = alice.page.getByTestId("search-panel");
    await expect(alicePanel.getByRole("region", { name: `# ${room}` })).toBeVisible();
    await expect(alicePanel.locator("mark")).toHaveText([tag, "Café"]);

    // from: completes usernames as it is typed
    await aliceBox.fill(`${tag} from:${bob.username.slice(0, -2)}`);
    const option = alice.page.getByRole("option", { name: `from:${bob.username}` });
    await expect(option).toBeVisible();
    await aliceBox.press("ArrowDown");
    await aliceBox.press("Enter");
    await expect(aliceBox).toHaveValue(`${tag} from:${bob.username} `);
    await aliceBox.press("Enter");
    await expect(alicePanel.getByTestId("search-result")).toHaveCount(1);
    await expect(alicePanel.getByTestId("search-result")).toContainText("something from bob");

    // a bad query says what is wrong
    await aliceBox.fill('"unclosed');
    await aliceBox.press("Enter");
    await expect(alicePanel.getByRole("alert")).toContainText("closing quote");
  });

  test("load more, and a result far back opens its room there, the message flashed", async ({ socket }) => {
    test.setTimeout(90_000);
    const tag = uniqueText("far").replace(" ", "");
    const s = await connect(socket({ token: aliceToken }));
    const hits = await sendMessages(
      s,
      Array.from({ length: 22 }, (_, i) => `${tag} match number ${i}`),
    );
    await sendMessages(
      s,
      Array.from({ length: 120 }, (_, i) => `filler ${i}`),
    );
    await bob.page.reload();
    await bob.chatPage.expectLive();
    await expect(bob.chatPage.messageById(hits[0]!.id)).toHaveCount(0);

    const box = bob.page.getByRole("combobox", { name: "Search messages" });
    await box.fill(tag);
    await box.press("Enter");
    const panel = bob.page.getByTestId("search-panel");
    await expect(panel.getByTestId("search-result")).toHaveCount(20);
    await panel.getByRole("button", { name: "Load more" }).click();
    await expect(panel.getByTestId("search-result")).toHaveCount(22);
    await expect(panel.getByRole("button", { name: "Load more" })).toHaveCount(0);

    // the oldest hit is the last one listed: newest first
    await bob.chatPage.recordFlashes();
    await panel.getByTestId("search-result").last().click();
    const target = bob.chatPage.messageById(hits[0]!.id);
    await expect(target).toBeInViewport();
    // the jump focuses the message and flashes it (recorded: the flash itself lasts only 1.6 s)
    await expect(target).toBeFocused();
    await bob.chatPage.expectFlashed(hits[0]!.id);
    await expect(bob.page).toHaveURL(new RegExp(`#m${hits[0]!.id}$`));
    // the results stay beside the conversation for the next pick; Esc puts them away from the message too
    await expect(panel).toBeVisible();
    await bob.page.keyboard.press("Escape");
    await expect(panel).toHaveCount(0);
    // and only that: the list's own Esc (show the newest) would have scrolled the found message away
    await bob.page.waitForTimeout(300);
    await expect(target).toBeInViewport();
  });

  test("on a phone, opening a result puts the results away to show the message", async ({
    socket,
    newUser,
    signIn,
  }) => {
    const phone = await newUser("phone", { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await signIn(phone);
    const tag = uniqueText("ph").replace(" ", "");
    const s = await connect(socket({ token: aliceToken }));
    const [hit] = await sendMessages(s, [`${tag} the needle`, ...Array.from({ length: 40 }, (_, i) => `hay ${i}`)]);
    const box = phone.page.getByRole("combobox", { name: "Search messages" });
    await box.fill(tag);
    await box.press("Enter");
    const panel = phone.page.getByTestId("search-panel");
    await panel.getByTestId("search-result").click();
    await expect(panel).toHaveCount(0);
    await expect(phone.chatPage.messageById(hit!.id)).toBeInViewport();
  });
});
