// The signed-in user's reads over HTTP: history pages, rooms, room members and people.
import {
  changesQuerySchema,
  messagesQuerySchema,
  searchQuerySchema,
  type ChangesResponse,
  type DirectoryResponse,
  type MembersResponse,
  type MessagesResponse,
  type RoomsResponse,
  type UsersResponse,
} from "../protocol";
import { getRuntime } from "../runtime";
import { decodeParam, json, parseOrThrow, route } from "./respond";
import { requireIdentity } from "./session";

/** GET /api/messages?room=<name>&after|before|around=<id>&limit=<n>: a history page of a readable room, ascending */
export const messages = route(async (req) => {
  const { services } = getRuntime();
  const me = await requireIdentity(req, services.auth);
  const params = Object.fromEntries(new URL(req.url).searchParams);
  const query = parseOrThrow(messagesQuerySchema, params);
  const body: MessagesResponse = { messages: await services.messages.page(me, query) };
  return json(body);
});

/** GET /api/changes?since=<seq>&limit=<n>: messages created or changed after `since` in the user's rooms */
export const changes = route(async (req) => {
  const { services } = getRuntime();
  const me = await requireIdentity(req, services.auth);
  const query = parseOrThrow(changesQuerySchema, Object.fromEntries(new URL(req.url).searchParams));
  const body: ChangesResponse = await services.messages.changes(me, query);
  return json(body);
});

/** GET /api/rooms: the user's rooms and DMs with unread counts; `?directory=1` lists public rooms to join */
export const rooms = route(async (req) => {
  const { services } = getRuntime();
  const me = await requireIdentity(req, services.auth);
  if (new URL(req.url).searchParams.get("directory")) {
    const directory: DirectoryResponse = { rooms: await services.rooms.directory(me) };
    return json(directory);
  }
  const body: RoomsResponse = { rooms: await services.rooms.list(me) };
  return json(body);
});

/** GET /api/rooms/<name>/members: who is in a room the user may read */
export const roomMembers = route(async (req: Request, ctx: { params: Promise<Record<string, string>> }) => {
  const { services } = getRuntime();
  const me = await requireIdentity(req, services.auth);
  const { room = "" } = await ctx.params;
  const body: MembersResponse = { members: await services.rooms.members(me, decodeParam(room, "room")) };
  return json(body);
});

/** GET /api/users: everyone, with presence and last-seen time */
export const users = route(async (req) => {
  const { services } = getRuntime();
  await requireIdentity(req, services.auth);
  const body: UsersResponse = { users: await services.presence.list() };
  return json(body);
});

/** GET /api/search?q=&limit=&cursor=: messages matching `q` in the user's rooms, newest first */
export const search = route(async (req) => {
  const { services } = getRuntime();
  const me = await requireIdentity(req, services.auth);
  const query = parseOrThrow(searchQuerySchema, Object.fromEntries(new URL(req.url).searchParams));
  return json(await services.search.search(me, query));
});
