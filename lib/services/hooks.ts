// Incoming webhooks (SPEC.md "Integrations"): Slack/Mattermost-style URLs that post into one room under a bot
// name. Whoever holds the URL may post, so the secret in it is 192 random bits, kept only as a hash.
import { randomBytes } from "node:crypto";
import type { HookQueries, HookRecord } from "../db/data-layer";
import { AppError, isAppError } from "../errors";
import { contentSchema, describeZodError, type Hook, type HookPayload, type Message } from "../protocol";
import { hashToken, type Identity } from "./auth";
import type { MessageService } from "./messages";
import type { RoomService } from "./rooms";

export interface HookDeps {
  hooks: HookQueries;
  rooms: RoomService;
  messages: MessageService;
}

export const HOOK_PATH = "/hooks/";

function toWire(h: HookRecord): Hook {
  return {
    id: h.id,
    room: h.room,
    name: h.name,
    createdBy: h.createdBy,
    createdAt: h.createdAt.toISOString(),
    lastUsedAt: h.lastUsedAt ? h.lastUsedAt.toISOString() : null,
  };
}

/** What a Slack-style body says as one Markdown text: `text`, then each attachment's pretext, title and text. */
export function hookText(payload: HookPayload): string {
  const parts = payload.text ? [payload.text] : [];
  for (const a of payload.attachments ?? []) {
    if (a.pretext) parts.push(a.pretext);
    const title =
      a.title && a.title_link && /^https?:\/\//.test(a.title_link) ? `[${a.title}](${a.title_link})` : a.title;
    if (title) parts.push(`**${title}**`);
    if (a.text) parts.push(a.text);
    else if (!title && a.fallback) parts.push(a.fallback);
  }
  return parts.join("\n");
}

const notFound = () => new AppError("not_found", "No such hook (it may have been revoked)");

export function createHookService(deps: HookDeps) {
  return {
    /** `origin` is the server's as the client reached it; the URL (and its secret) is in this answer only */
    async create(
      user: Identity,
      input: { room: string; name: string },
      origin: string,
    ): Promise<Hook & { url: string }> {
      const room = await deps.rooms.memberRoom(user, input.room);
      const secret = randomBytes(24).toString("base64url");
      const hook = await deps.hooks.createHook({
        roomId: room.id,
        createdById: user.userId,
        name: input.name,
        secretHash: hashToken(secret),
      });
      return { ...toWire(hook), url: `${origin}${HOOK_PATH}${secret}` };
    },

    /** the hooks of every room the user is in */
    async list(user: Identity): Promise<Hook[]> {
      return (await deps.hooks.hooksOfMember(user.userId)).map(toWire);
    },

    /** any member of the hook's room may revoke it; anyone else is told there is no such hook */
    async revoke(user: Identity, id: number): Promise<void> {
      const hook = await deps.hooks.findHook(id);
      if (!hook) throw notFound();
      await deps.rooms.memberRoom(user, hook.room).catch(() => {
        throw notFound();
      });
      await deps.hooks.deleteHook(id);
    },

    /** POST /hooks/<secret>: the text posted as its maker, shown as the bot; content rules as for any message */
    async post(secret: string, payload: HookPayload): Promise<Message> {
      const hook = await deps.hooks.findHookBySecret(hashToken(secret));
      if (!hook) throw notFound();
      const text = hookText(payload);
      if (!text.trim()) throw new AppError("invalid_input", "text is required (or attachments with text)");
      const content = contentSchema.safeParse(text);
      if (!content.success) throw new AppError("invalid_input", describeZodError(content.error));
      const maker: Identity = { sessionId: 0, userId: hook.createdById, username: hook.createdBy, admin: false };
      const bot = { name: payload.username ?? hook.name, iconUrl: payload.icon_url ?? null };
      // a maker who left the room takes the hook's right to post there with them
      const message = await deps.messages
        .send(maker, { content: content.data, room: hook.room, hook: { id: hook.id, bot } })
        .catch((err: unknown) => {
          throw isAppError(err) && (err.code === "forbidden" || err.code === "not_found") ? notFound() : err;
        });
      await deps.hooks.touchHook(hook.id, new Date());
      return message;
    },
  };
}
export type HookService = ReturnType<typeof createHookService>;
