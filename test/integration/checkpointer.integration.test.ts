// WAL checkpoints run on the checkpoint worker, not inside commits on the event loop (lib/db/checkpointer.ts).
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCheckpointer } from "@/lib/db/checkpointer";
import { createServices, type Services } from "@/lib/services";
import { waitUntil } from "../helpers/socket-utils";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "chatterbox-checkpoint-"));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const mainFileContains = (databasePath: string, needle: string) =>
  readFileSync(databasePath).includes(Buffer.from(needle, "utf8"));

describe("the checkpoint worker", () => {
  it("moves committed messages from the WAL into the database file while commits no longer do it", async () => {
    const databasePath = path.join(dir, "services.db");
    const services: Services = await createServices({
      databasePath,
      BCRYPT_COST: 4,
      SESSION_TTL: 3600,
      THROTTLE_LOGINS: 10,
      THROTTLE_REGISTRATIONS: 1000,
      THROTTLE_MESSAGES: 10_000,
      THROTTLE_CONNECTIONS: 10_000,
    });
    try {
      await services.auth.register({ username: "walter", password: "correct horse battery" });
      const { token } = await services.auth.login({ username: "walter", password: "correct horse battery" });
      const me = (await services.auth.authenticate(token))!;
      const marker = `checkpointed-${randomUUID()}`;
      await services.messages.send(me, { content: marker });
      // far below the 1000 WAL pages at which a commit would checkpoint, and every connection is still open:
      // only the worker puts the row into the main file
      await waitUntil(() => mainFileContains(databasePath, marker), 5000);
    } finally {
      await services.close();
    }
  });

  it("reports a failure (so automatic checkpoints come back) when it cannot run", async () => {
    const failures: Error[] = [];
    const checkpointer = startCheckpointer(path.join(dir, "no-such-dir", "x.db"), {
      onFailure: (err) => failures.push(err),
    });
    await waitUntil(() => failures.length > 0, 5000);
    expect(failures).toHaveLength(1);
    await checkpointer.close(); // after a failure too
  });
});
