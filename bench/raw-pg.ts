// The raw PostgreSQL baseline of the cluster scenario: single-row INSERT commits (autocommit, one connection,
// the server's default durability: fsync and synchronous_commit on) for `seconds`; prints RESULT <json>.
//   tsx bench/raw-pg.ts <database url> <seconds>
import pg from "pg";

async function main(): Promise<void> {
  const [url, secondsArg] = process.argv.slice(2);
  if (!url || !secondsArg) throw new Error("usage: raw-pg.ts <database url> <seconds>");
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(
    `CREATE TABLE IF NOT EXISTS raw_message (id serial PRIMARY KEY, room text NOT NULL, content text NOT NULL, created_at timestamp(3) NOT NULL DEFAULT now())`,
  );
  const insert = { name: "raw-insert", text: `INSERT INTO raw_message (room, content) VALUES ($1, $2)` };
  const end = performance.now() + Number(secondsArg) * 1000;
  const start = performance.now();
  let inserts = 0;
  while (performance.now() < end) {
    await client.query({ ...insert, values: ["raw", `raw message ${inserts}: the quick brown fox`] });
    inserts++;
  }
  const seconds = (performance.now() - start) / 1000;
  await client.end();
  process.stdout.write(`RESULT ${JSON.stringify({ inserts, seconds, perSec: inserts / seconds })}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
