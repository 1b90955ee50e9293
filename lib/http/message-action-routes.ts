// PATCH / DELETE /api/messages/<id> and PUT / DELETE /api/messages/<id>/reactions/<emoji>: the message
// actions over HTTP, each answered with the message as committed. State-changing, so foreign pages are refused.
import { contentSchema, emojiSchema, messageIdSchema, type Message } from "../protocol";
import { getRuntime } from "../runtime";
import type { Identity } from "../services/auth";
import type { MessageActions } from "../services/message-actions";
import { assertSameOrigin } from "./guard";
import { decodeParam, json, parseOrThrow, readJson, route } from "./respond";
import type { RouteContext } from "./routes";
import { requireIdentity } from "./session";
import { z } from "zod";

const editBodySchema = z.object({ content: contentSchema }, { error: "body must be a JSON object with content" });

interface Target {
  me: Identity;
  actions: MessageActions;
  id: number;
  emoji: string | undefined;
}

/** Origin, session, then the path's message id (and emoji, URL-decoded) */
async function target(req: Request, ctx: RouteContext): Promise<Target> {
  assertSameOrigin(req);
  const { services } = getRuntime();
  const me = await requireIdentity(req, services.auth);
  const params = await ctx.params;
  const id = parseOrThrow(messageIdSchema, /^\d+$/.test(params.id ?? "") ? Number(params.id) : NaN);
  const emoji = params.emoji === undefined ? undefined : parseOrThrow(emojiSchema, decodeParam(params.emoji, "emoji"));
  return { me, actions: services.messageActions, id, emoji };
}

const answer = (message: Message) => json({ message });

/** PATCH /api/messages/<id> {content} */
export const editMessage = route(async (req: Request, ctx: RouteContext) => {
  const { me, actions, id } = await target(req, ctx);
  const { content } = await readJson(req, editBodySchema);
  return answer(await actions.editMessage(me, { id, content }));
});

/** DELETE /api/messages/<id> */
export const deleteMessage = route(async (req: Request, ctx: RouteContext) => {
  const { me, actions, id } = await target(req, ctx);
  return answer(await actions.deleteMessage(me, { id }));
});

/** PUT /api/messages/<id>/reactions/<emoji> */
export const addReaction = route(async (req: Request, ctx: RouteContext) => {
  const { me, actions, id, emoji = "" } = await target(req, ctx);
  return answer(await actions.addReaction(me, { id, emoji }));
});

/** DELETE /api/messages/<id>/reactions/<emoji> */
export const removeReaction = route(async (req: Request, ctx: RouteContext) => {
  const { me, actions, id, emoji = "" } = await target(req, ctx);
  return answer(await actions.removeReaction(me, { id, emoji }));
});
