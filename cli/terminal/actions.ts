// /edit, /delete, /react and /reply: a message named by its number on screen (shown.ts), checked here so
// the usual mistakes get a clear line (no such number, another room, not yours, deleted), then asked of the
// server, whose refusal is printed. What changed is announced when the new state comes back (the ack's or
// the broadcast's, whichever is first; the other is then not newer).
import type { Message } from "../../lib/protocol";
import { authorLabel, preview } from "../render";
import { sameRoom } from "../rooms";
import { sanitizeInline } from "../sanitize";
import { reasonOf, type TerminalChat } from "./context";
import type { ShownMessage } from "./shown";

/** The message numbered `number` if it can be acted on here, else the line saying why not (printed). */
function pick(chat: TerminalChat, number: number): ShownMessage | undefined {
  const { conversation, screen } = chat;
  const shown = conversation.shown.get(number);
  if (!shown) {
    screen.warn(`No message [${number}] on this screen: use the number beside a message.`);
    return undefined;
  }
  if (!sameRoom(shown.message.room, conversation.view.name)) {
    screen.warn(`[${number}] is in ${placeOf(chat, shown.message.room)}: go there first.`);
    return undefined;
  }
  if (shown.message.deleted) {
    screen.warn(`[${number}] was deleted.`);
    return undefined;
  }
  return shown;
}

/** The user's own message numbered `number`, or their latest one here when no number is given. */
function pickOwn(chat: TerminalChat, number: number | undefined, verb: string): ShownMessage | undefined {
  const { conversation, me, screen } = chat;
  if (number === undefined) {
    const last = conversation.shown.lastOwn(conversation.view.name, me);
    if (!last) screen.warn(`No message of yours on screen here to ${verb}: /${verb} <n> names one.`);
    return last;
  }
  const shown = pick(chat, number);
  if (shown && !isMine(chat, shown.message)) {
    screen.warn(`[${number}] is ${authorLabel(shown.message)}'s message: you can only ${verb} yours.`);
    return undefined;
  }
  return shown;
}

export async function editMessage(chat: TerminalChat, number: number | undefined, content: string): Promise<void> {
  const shown = pickOwn(chat, number, "edit");
  if (!shown) return;
  if (shown.message.content === content) return chat.screen.info(`(that is what [${shown.number}] says already)`);
  await act(chat, shown, "edit", () => chat.session.edit(shown.message.id, content));
}

export async function deleteMessage(chat: TerminalChat, number: number | undefined): Promise<void> {
  // another's message: the server decides (an admin may delete it)
  const shown = number === undefined ? pickOwn(chat, undefined, "delete") : pick(chat, number);
  if (!shown) return;
  await act(chat, shown, "delete", () => chat.session.deleteMessage(shown.message.id));
}

/** Adds the reaction, or takes it back if the user has it on the message already. */
export async function toggleReaction(chat: TerminalChat, number: number, emoji: string): Promise<void> {
  const shown = pick(chat, number);
  if (!shown) return;
  const { id, reactions } = shown.message;
  const mine = reactions.some((r) => r.emoji === emoji && r.users.some((u) => sameName(u, chat.me)));
  await act(chat, shown, mine ? "take back the reaction on" : "react to", () =>
    mine ? chat.session.unreact(id, emoji) : chat.session.react(id, emoji),
  );
}

/** Sends `content` to the room on screen as a reply to the message numbered `number`. */
export function reply(chat: TerminalChat, number: number, content: string): void {
  const shown = pick(chat, number);
  if (shown) chat.input.send(content, shown.message.id);
}

/** Asks the server; its answer (the new state) is announced like any change, a refusal is printed. */
async function act(chat: TerminalChat, shown: ShownMessage, verb: string, request: () => Promise<Message>) {
  try {
    chat.conversation.updated([await request()]);
  } catch (err) {
    const what = preview(shown.message.content, 30);
    chat.screen.warn(`! could not ${verb} [${shown.number}] “${what}”: ${reasonOf(err)}`);
  }
}

/** `#ops`, or `@bob` for a DM room. */
function placeOf(chat: TerminalChat, room: string): string {
  const peer = chat.book.get(room)?.peer;
  return peer ? `@${sanitizeInline(peer)}` : `#${sanitizeInline(room)}`;
}

function isMine(chat: TerminalChat, m: Message): boolean {
  return sameName(m.username, chat.me);
}

const sameName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
