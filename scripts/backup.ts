// `npm run backup -- <file> [--force]`: a consistent copy of the database (DATABASE_URL, as the server reads
// it) while the server runs. Refuses to overwrite an existing file without --force. Prints the copy's size
// and message count. Restore: stop the server, put the copy in the database's place, start it (see
// docs/OPERATIONS.md).
import { existsSync } from "node:fs";
import path from "node:path";
import { Command, CommanderError } from "commander";
import { ConfigError, loadServerConfig, sqlitePathOf } from "../lib/config";
import { backupDatabase } from "../lib/db/backup";

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

async function backup(file: string, options: { force?: boolean }): Promise<number> {
  // PostgreSQL is backed up with its own tools (pg_dump, base backups)
  const databasePath = sqlitePathOf(loadServerConfig(process.env), "npm run backup (on PostgreSQL use pg_dump)");
  const target = path.resolve(file);
  if (target === databasePath) {
    console.error("The backup must go to another file than the database itself.");
    return 2;
  }
  if (existsSync(target) && !options.force) {
    console.error(`${target} exists; add --force to overwrite it.`);
    return 2;
  }
  const { bytes, messages } = await backupDatabase(databasePath, target);
  console.log(`Backed up ${databasePath} to ${target}: ${megabytes(bytes)}, ${messages} messages, integrity ok.`);
  return 0;
}

async function main(): Promise<number> {
  let code = 0;
  const program = new Command()
    .name("npm run backup --")
    .description("Copy the database consistently while the server runs (SQLite's online backup API).")
    .argument("<file>", "where to write the copy")
    .option("-f, --force", "overwrite the file if it exists")
    .exitOverride()
    .action(async (file: string, options: { force?: boolean }) => {
      code = await backup(file, options);
    });
  try {
    await program.parseAsync(process.argv);
    return code;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    console.error(err instanceof Error ? err.message : String(err));
    return err instanceof ConfigError ? 2 : 1;
  }
}

process.exitCode = await main();
