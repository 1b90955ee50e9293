// `chatterbox hooks list | create <room> <name> | revoke <id>`: the incoming webhooks of the user's rooms,
// over the client core's REST calls (lib/client/integrations.ts) with the saved token. `create` prints the
// URL alone on stdout (shown this once), so a script can capture it; notes go to stderr.
import type { Command } from "commander";
import { integrationsApi } from "../lib/client/integrations";
import type { Hook } from "../lib/protocol";
import { UsageError } from "./login";
import { parseRoomRef } from "./rooms";
import { sanitizeInline } from "./sanitize";
import { optionsOf, signIn, withConnectionOptions } from "./scripting/context";
import { EXIT, EXIT_CODES_HELP } from "./scripting/exit-codes";
import type { Runner } from "./scripting/runner";

/** The signed-in user's webhook calls (saved login, --token or CHATTERBOX_TOKEN; never prompts). */
const api = async (command: Command) => integrationsApi((await signIn(optionsOf(command))).http);

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

export function registerHooksCommand(program: Command, run: Runner): void {
  const hooks = program.command("hooks").description("incoming webhooks of your rooms (list, create, revoke)");
  const sub = (name: string) => withConnectionOptions(hooks.command(name)).addHelpText("after", EXIT_CODES_HELP);
  sub("list")
    .description("the webhooks of the rooms you are in: id, room, name, maker, last use")
    .option("-r, --room <room>", "only this room's")
    .action((options: { room?: string }, command: Command) =>
      run(async () => {
        const room = options.room === undefined ? undefined : roomArg(options.room).toLowerCase();
        const all = await (await api(command)).hooks();
        for (const h of all.filter((x) => room === undefined || x.room.toLowerCase() === room)) {
          console.log(formatHook(h));
        }
        return EXIT.ok;
      }),
    );
  sub("create <room> <name>")
    .description("make a webhook posting to <room> as <name>; prints its URL (shown only this once)")
    .action((room: string, name: string, _options: unknown, command: Command) =>
      run(async () => {
        const hook = await (await api(command)).createHook(roomArg(room), name);
        console.log(hook.url);
        console.error(
          `Webhook ${hook.id} posts to #${sanitizeInline(hook.room)}. Copy the URL now: it is not shown again.`,
        );
        return EXIT.ok;
      }),
    );
  sub("revoke <id>")
    .description("revoke a webhook: its URL stops working at once")
    .action((id: string, _options: unknown, command: Command) =>
      run(async () => {
        await (await api(command)).revokeHook(idArg(id));
        console.error(`Webhook ${id} revoked.`);
        return EXIT.ok;
      }),
    );
}
