// npm run admin -- grant|revoke <username> | list: administration from the shell, for an owner locked out of
// /admin. Works on the database directly (DATABASE_URL: the SQLite file or PostgreSQL), also while the server runs; each change is
// written to the audit log as done by "(shell)".
import { Command } from "commander";
import { ConfigError, loadServerConfig } from "../lib/config";
import { openAdminDatabase } from "../lib/db/open";
import type { AccountChange, AdminQueries } from "../lib/db/data-layer";

type Run = (admin: AdminQueries) => Promise<string>;

async function withDatabase(run: Run): Promise<void> {
  const config = loadServerConfig();
  const opened = await openAdminDatabase(config.databasePath ?? config.DATABASE_URL);
  try {
    console.log(await run(opened.admin));
  } finally {
    await opened.close();
  }
}

const explain: Record<Exclude<AccountChange, "ok">, string> = {
  "last-admin": "is the last active admin: grant another account first",
  unchanged: "was already so",
};

function setAdmin(username: string, admin: boolean): Run {
  return async (db) => {
    const user = await db.findUser(username);
    if (!user) throw new Error(`No user ${username}`);
    const change = await db.setAdmin(user.id, admin);
    if (change === "last-admin") throw new Error(`${user.username} ${explain[change]}`);
    if (change === "ok") {
      await db.audit({
        actorId: null,
        actor: "(shell)",
        action: admin ? "admin.grant" : "admin.revoke",
        target: user.username,
      });
    }
    const now = admin ? "is an admin" : "is not an admin";
    return change === "ok" ? `${user.username} ${now} now` : `${user.username} ${now} (${explain[change]})`;
  };
}

const list: Run = async (db) => {
  const users = await db.listUsers("", 10_000);
  const lines = users.map((u) => `${u.username}${u.admin ? "  admin" : ""}${u.deactivatedAt ? "  deactivated" : ""}`);
  return lines.length ? lines.join("\n") : "No accounts yet: the first to register becomes the admin.";
};

const program = new Command("npm run admin --")
  .description("Chatterbox administration from the shell (uses DATABASE_URL)")
  .showHelpAfterError();
program
  .command("grant <username>")
  .description("make a user an admin")
  .action((u: string) => withDatabase(setAdmin(u, true)));
program
  .command("revoke <username>")
  .description("take admin away (never from the last active admin)")
  .action((u: string) => withDatabase(setAdmin(u, false)));
program
  .command("list")
  .description("every account, with admins and deactivated ones marked")
  .action(() => withDatabase(list));

program.parseAsync().catch((err: unknown) => {
  console.error(err instanceof ConfigError || err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
});
