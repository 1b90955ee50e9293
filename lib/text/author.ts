// Who a message shows as, wherever it is named in a line of text (a push, a search hit, "Replying to"): a
// webhook's post by its bot name, marked, never as the member who made the hook.
import type { Message } from "../protocol";

export const authorLabel = (m: Pick<Message, "username" | "bot">): string =>
  m.bot ? `${m.bot.name} [bot]` : m.username;
