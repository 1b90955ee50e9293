// Child-process entry for the PostgreSQL writer test across OS processes: opens its own data layer (its pool,
// its writer) on WRITER_URL, prints READY, and once a line comes on stdin (so that two of them start writing
// together; stdin closed without one: it exits) sends WRITER_BURSTS bursts of 20 concurrent messages into general as the user WRITER_USER_ID /
// WRITER_USERNAME, then prints DONE and exits. Run with `node --import tsx`.
import { once } from "node:events";
import readline from "node:readline";
import { openPgDatabase } from "@/lib/db/pg/open";

async function main(): Promise<void> {
  const { WRITER_URL: url, WRITER_USER_ID: id, WRITER_USERNAME: username, WRITER_BURSTS: bursts } = process.env;
  if (!url || !id || !username || !bursts)
    throw new Error("WRITER_URL, WRITER_USER_ID, WRITER_USERNAME, WRITER_BURSTS");
  const db = await openPgDatabase(url);
  const lines = readline.createInterface({ input: process.stdin });
  process.stdout.write("READY\n");
  // a line is the start; stdin closing without one (the test gave up) ends this process
  const started = await Promise.race([once(lines, "line").then(() => true), once(lines, "close").then(() => false)]);
  lines.close();
  if (!started) {
    await db.close();
    return;
  }
  try {
    for (let burst = 0; burst < Number(bursts); burst++) {
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          db.messages.insertMessage({
            userId: Number(id),
            username,
            room: "general",
            content: `${username} ${burst}.${i}`,
          }),
        ),
      );
    }
  } finally {
    await db.close();
  }
  process.stdout.write("DONE\n");
}

main().catch((err: unknown) => {
  process.stderr.write(
    `pg-writer-process failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
