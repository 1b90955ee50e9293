// Builds the services over one database: what server.ts and the integration tests start from.
import type { ServerConfig } from "../config";
import { startCheckpointer } from "../db/checkpointer";
import { openDb, setAutoCheckpoint, type Db } from "../db/client";
import { createPreparedReads } from "../db/prepared-reads";
import { createMessageWriter } from "../db/message-writer";
import { messageQueries } from "../db/messages";
import { roomQueries } from "../db/rooms";
import { migrateDatabase } from "../db/migrate";
import { sessionQueries } from "../db/sessions";
import { userQueries } from "../db/users";
import { createAuthService } from "./auth";
import { ChatEvents } from "./events";
import { createMessageService } from "./messages";
import { createPasswordHasher } from "./passwords";
import { createPresence } from "./presence";
import { createRoomService } from "./rooms";
import { createThrottles } from "./throttle";

export type ServiceConfig = Pick<
  ServerConfig,
  | "databasePath"
  | "BCRYPT_COST"
  | "SESSION_TTL"
  | "THROTTLE_LOGINS"
  | "THROTTLE_REGISTRATIONS"
  | "THROTTLE_MESSAGES"
  | "THROTTLE_CONNECTIONS"
>;

export async function createServices(config: ServiceConfig) {
  await migrateDatabase(config.databasePath);
  const db: Db = await openDb(config.databasePath);
  const events = new ChatEvents();
  const passwords = createPasswordHasher(config.BCRYPT_COST);
  const throttles = createThrottles(config);
  const writer = createMessageWriter(config.databasePath);
  const reads = createPreparedReads(config.databasePath);
  const autoCheckpoint = async (on: boolean) => {
    writer.autoCheckpoint(on);
    await setAutoCheckpoint(db, on);
  };
  // checkpoints move to a worker thread; should it fail, commits checkpoint again as SQLite does by default
  await autoCheckpoint(false);
  const checkpointer = startCheckpointer(config.databasePath, {
    onFailure: () => void autoCheckpoint(true).catch(() => undefined),
  });
  const users = userQueries(db);
  const sessions = sessionQueries(db, reads);
  // expired sessions are refused on use; this only keeps the table from growing for ever
  const purge = () => void sessions.deleteExpiredSessions(new Date()).catch(() => undefined);
  purge();
  const purgeTimer = setInterval(purge, 60 * 60 * 1000).unref();
  const messageRows = messageQueries(reads, writer);
  const auth = createAuthService({
    passwords,
    throttles,
    users,
    sessions,
    events,
    sessionTtl: config.SESSION_TTL,
  });
  const rooms = createRoomService({ rooms: roomQueries(db), users, messages: messageRows, events });
  const messages = createMessageService({ messages: messageRows, events, throttles, rooms });
  const presence = createPresence({ users, events });
  return {
    auth,
    rooms,
    presence,
    throttles,
    messages,
    events,
    /** true when the database answers */
    async healthy(): Promise<boolean> {
      try {
        await db.$queryRawUnsafe("SELECT 1");
        return true;
      } catch {
        return false;
      }
    },
    async close(): Promise<void> {
      clearInterval(purgeTimer);
      events.removeAllListeners();
      presence.close();
      await passwords.close();
      await checkpointer.close();
      writer.close();
      reads.close();
      await db.$disconnect();
    },
  };
}
export type Services = Awaited<ReturnType<typeof createServices>>;
