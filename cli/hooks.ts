// `chatterbox hooks list | create <room> <name> | revoke <id>`: the incoming webhooks of the user's rooms,
// over the client core's REST calls (lib/client/integrations.ts) with the saved token. `create` prints the
// URL alone on stdout (shown this once), so a script can capture it; notes go to stderr.
import type { Command } from "commander";
import { loadCliConfig } from "../lib/config";
import { createHttp } from "../lib/client/http";
import { integrationsApi } from "../lib/client/integrations";
import type { Hook } from "../lib/protocol";
import { CredentialStore } from "./credentials";
import { UsageError } from "./login";
import { parseRoomRef } from "./rooms";
import { sanitizeInline } from "./sanitize";

async function api(command: Command) {
  const { server } = command.optsWithGlobals<{ server?: string }>();
  if (server !== undefined && !URL.canParse(server)) {
    throw new UsageError(`--server: "${server}" is not a URL such as http://127.0.0.1:8000`);
  }
  const config = loadCliConfig(process.env, server);
  const stored = await new CredentialStore(config.configDir).get(config.serverUrl);
  if (!stored) throw new UsageError(`Not logged in to ${config.serverUrl}: run chatterbox first to log in.`);
  return integrationsApi(createHttp({ baseUrl: config.serverUrl, token: stored.token, cleanDetail: sanitizeInline }));
}

/** One hook per line: id, #room, name, who made it, when it was last used. */
export function formatHook(h: Hook): string {
  const used = h.lastUsedAt ? `last used ${h.lastUsedAt}` : "never used";
  return `${h.id}\t#${sanitizeInline(h.room)}\t${sanitizeInline(h.name)}\tby ${sanitizeInline(h.createdBy)}\t${used}`;
}

function roomArg(text: string): string {
  const ref = parseRoomRef(text);
  if ("error" in ref) throw new UsageError(`room: ${ref.error}`);
  if (ref.kind === "dm") throw new UsageError("room: webhooks post to rooms, not direct messages");
  return ref.name;
}

function idArg(text: string): number {
  if (!/^[1-9]\d{0,15}$/.test(text))
    throw new UsageError(`id: "${text}" is not a webhook id (see chatterbox hooks list)`);
  return Number(text);
}

export function registerHooksCommand(program: Command, run: (code: number) => void): void {
  const hooks = program.command("hooks").description("incoming webhooks of your rooms (list, create, revoke)");
  hooks
    .command("list")
    .description("the webhooks of the rooms you are in: id, room, name, maker, last use")
    .option("-r, --room <room>", "only this room's")
    .action(async (options: { room?: string }, command: Command) => {
      const room = options.room === undefined ? undefined : roomArg(options.room).toLowerCase();
      const all = await (await api(command)).hooks();
      for (const h of all.filter((x) => room === undefined || x.room.toLowerCase() === room)) {
        console.log(formatHook(h));
      }
      run(0);
    });
  hooks
    .command("create <room> <name>")
    .description("make a webhook posting to <room> as <name>; prints its URL (shown only this once)")
    .action(async (room: string, name: string, _options: unknown, command: Command) => {
      const hook = await (await api(command)).createHook(roomArg(room), name);
      console.log(hook.url);
      console.error(
        `Webhook ${hook.id} posts to #${sanitizeInline(hook.room)}. Copy the URL now: it is not shown again.`,
      );
      run(0);
    });
  hooks
    .command("revoke <id>")
    .description("revoke a webhook: its URL stops working at once")
    .action(async (id: string, _options: unknown, command: Command) => {
      await (await api(command)).revokeHook(idArg(id));
      console.error(`Webhook ${id} revoked.`);
      run(0);
    });
}
