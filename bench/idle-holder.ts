// A helper process of the C100K scenario: holds `count` idle connections to one server from one loopback
// source address (each address has its own ~28,000 ephemeral ports, and each process its own open-file
// limit), each connection from its own port. socket.io clients take their tokens from a JSON file, round robin; raw ws clients join `room`.
// Prints `READY <opened>` once connected; on a `count` line prints `OPEN <still open>`; exits on stdin's end.
//   tsx bench/idle-holder.ts sio <url> <localAddress> <count> <tokens.json>
//   tsx bench/idle-holder.ts raw <url> <localAddress> <count> <room>
import { readFileSync } from "node:fs";
import readline from "node:readline";
import { mapLimit, RawClient, SioClient, type LoadClient } from "./lib/clients";

// Each connection from its own port below the ephemeral range (32768 and up), so the kernel's own choices
// for everyone else's connections are untouched; the same port on another source address is another end.
const FIRST_PORT = 12_000;
const MAX_COUNT = 20_000;

async function main(): Promise<void> {
  const [kind, url, localAddress, countArg, extra] = process.argv.slice(2);
  const count = Number(countArg);
  if ((kind !== "sio" && kind !== "raw") || !url || !localAddress || !Number.isInteger(count) || !extra) {
    throw new Error("usage: idle-holder.ts sio|raw <url> <localAddress> <count> <tokens.json|room>");
  }
  const tokens = kind === "sio" ? (JSON.parse(readFileSync(extra, "utf8")) as string[]) : [];
  const indexes = Array.from({ length: count }, (_, i) => i);
  if (count > MAX_COUNT) throw new Error(`at most ${MAX_COUNT} connections per holder`);
  const clients: LoadClient[] = await mapLimit(indexes, 64, (i): Promise<LoadClient> => {
    const local = { address: localAddress, port: FIRST_PORT + i };
    return kind === "sio"
      ? SioClient.connect(url, tokens[i % tokens.length]!, 60_000, local)
      : RawClient.connect(url, extra, 60_000, local);
  });
  process.stdout.write(`READY ${clients.length}\n`);
  const lines = readline.createInterface({ input: process.stdin });
  lines.on("line", (line) => {
    if (line.trim() === "count") process.stdout.write(`OPEN ${clients.filter((c) => c.open).length}\n`);
  });
  lines.on("close", () => {
    for (const c of clients) c.close();
    process.exit(0);
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
