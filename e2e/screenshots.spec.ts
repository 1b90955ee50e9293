// Screenshots for the docs (docs/*.png): the login page, and a conversation between two people on a
// desktop and on a phone-sized viewport. The assertions make sure the pictures show a settled UI.
import { fileURLToPath } from "node:url";
import { SESSION_COOKIE } from "../lib/protocol";
import { apiLogin, expect, signInViaApi, test, uniqueUsername, type ChatUser } from "./fixtures";

// docs/ is rewritten only on request (UPDATE_SCREENSHOTS=1), so a test run leaves the work tree clean
const docs = (name: string) =>
  fileURLToPath(
    new URL(`../${process.env.UPDATE_SCREENSHOTS ? "docs" : "test-results/screenshots"}/${name}`, import.meta.url),
  );
const DESKTOP = { viewport: { width: 1200, height: 800 } };
const MOBILE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

test("docs screenshots: login, chat on desktop and on mobile", async ({ newUser, request, serverURL }) => {
  // short suffixes keep the names readable in the pictures
  const ada = await newUser("ada", DESKTOP, uniqueUsername("ada", 2));
  await ada.loginPage.goto();
  await ada.page.screenshot({ path: docs("screenshot-login.png") });

  const grace = await newUser("grace", DESKTOP, uniqueUsername("grace", 2));
  // signed in over the API: the login form has its own tests, these pictures are about the chat
  await signInViaApi(request, ada, serverURL);
  await signInViaApi(request, grace, serverURL);

  // enough lines to fill the viewport, so messages of other tests stay scrolled out of sight
  const lines: [ChatUser, string][] = [
    [grace, "Hi Ada 👋"],
    [ada, "Hey Grace! How was the conference?"],
    [grace, "Great talks on compilers. I'll share my notes later."],
    [ada, "Lovely. Is the deploy still on for today?"],
    [grace, "Yes, after lunch. I'm finishing the migration notes."],
    [ada, "Great. I'll watch the error rates once it's out."],
    [grace, "Do you remember whether the new index is in this release?"],
    [ada, "It is, migration 0007. It takes a few seconds on the big tables."],
    [grace, "Perfect. Quick checklist:\n1. freeze merges\n2. run the migration\n3. smoke-test the login"],
    [ada, "👍 sounds good"],
    [grace, "I'll ping here when it's live."],
    [ada, "Thanks!"],
  ];
  for (const [user, text] of lines) {
    await user.chatPage.composer.fill(text);
    await user.chatPage.composer.press("Enter");
    await expect(user.chatPage.composer).toHaveValue("");
    await expect(user.chatPage.outgoing).toHaveCount(0);
  }
  const last = lines.at(-1)?.[1] ?? "";
  for (const user of [ada, grace]) {
    await expect(user.chatPage.messages.getByTestId("message").last()).toContainText(last);
  }
  await ada.page.screenshot({ path: docs("screenshot-chat.png") });

  // the same account on a phone: history from the server, own messages on the right
  const mobile = await newUser("ada", MOBILE, ada.username);
  const token = await apiLogin(request, ada.username);
  await mobile.context.addCookies([{ name: SESSION_COOKIE, value: token, url: serverURL, httpOnly: true }]);
  await mobile.chatPage.goto();
  await expect(mobile.chatPage.messages.getByTestId("message").last()).toContainText(last);
  await mobile.page.screenshot({ path: docs("screenshot-chat-mobile.png") });
});
