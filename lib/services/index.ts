// Builds the services over an open database (lib/db openDatabase): what the server factory and the
// integration tests start from. The caller owns the database: services.close() leaves it open.
import type { Redis } from "ioredis";
import type { ServerConfig } from "../config";
import type { DataLayer } from "../db/data-layer";
import { createFaults } from "../fault";
import { createAdminService } from "./admin";
import { createAccountService } from "./account";
import { createApiTokenService } from "./api-tokens";
import { createAuthService } from "./auth";
import { createFileService, scheduleSweep } from "./files";
import { ChatEvents } from "./events";
import { createHookService } from "./hooks";
import { createMessageActions } from "./message-actions";
import { createMessageService } from "./messages";
import { createNotificationService } from "./notifications";
import { createPasswordHasher } from "./passwords";
import { createPresence } from "./presence";
import { createProfileService } from "./profiles";
import { createPushService } from "./push";
import { createRetention } from "./retention";
import { createRegistration } from "./registration";
import { createRoomService } from "./rooms";
import { createSearchService } from "./search";
import { createThrottles } from "./throttle";

export type ServiceConfig = Pick<
  ServerConfig,
  | "BCRYPT_COST"
  | "SESSION_TTL"
  | "THROTTLE_LOGINS"
  | "THROTTLE_REGISTRATIONS"
  | "THROTTLE_MESSAGES"
  | "THROTTLE_CONNECTIONS"
  | "PUSH_ALLOWED_ORIGINS"
  | "VAPID_SUBJECT"
  | "REGISTRATION"
  | "uploadDir"
  | "UPLOAD_MAX_BYTES"
  | "UPLOAD_QUOTA_BYTES"
  | "UPLOAD_MAX_PIXELS"
  | "UPLOAD_UNSENT_TTL"
  | "UPLOAD_SWEEP_INTERVAL"
> &
  Partial<Pick<ServerConfig, "fault" | "RETENTION_DAYS">>;

/**
 * `log`: where background failures (Web Push) are reported; `redis`: the cluster's command connection when
 * scaled out (lib/cluster), for throttles shared by every process
 */
export function createServices(
  db: DataLayer,
  config: ServiceConfig,
  log: (msg: string, err?: unknown) => void = (msg, err) => console.warn(msg, err),
  redis?: Redis,
) {
  const { users, sessions } = db;
  const events = new ChatEvents();
  const passwords = createPasswordHasher(config.BCRYPT_COST);
  const throttles = createThrottles(config, redis);
  const registration = createRegistration({ admin: db.admin, defaultMode: config.REGISTRATION });
  const admin = createAdminService({
    admin: db.admin,
    registration,
    defaultMode: config.REGISTRATION,
    passwords,
    events,
  });
  const auth = createAuthService({
    passwords,
    throttles,
    registration,
    users,
    sessions,
    apiTokens: db.apiTokens,
    events,
    sessionTtl: config.SESSION_TTL,
  });
  const profiles = createProfileService({ profiles: db.profiles, events });
  const account = createAccountService({ profiles: db.profiles, sessions, events, passwords, throttles });
  const rooms = createRoomService({ rooms: db.rooms, users, messages: db.messages, events });
  const presence = createPresence({ users, events });
  const files = createFileService({ uploads: db.uploads, messages: db.messages, rooms, config, log });
  const stopSweep = scheduleSweep(files, config, log);
  const messageDeps = {
    messages: db.messages,
    events,
    throttles,
    rooms,
    online: presence.isOnline,
    checkFiles: files.checkAttachable,
    faults: createFaults(config.fault),
    isAdmin: admin.isAdmin,
  };
  const messages = createMessageService(messageDeps);
  const messageActions = createMessageActions(messageDeps);
  const apiTokens = createApiTokenService({ apiTokens: db.apiTokens, events });
  const hooks = createHookService({ hooks: db.hooks, rooms, messages });
  const search = createSearchService({ search: db.search, users, rooms });
  const notifications = createNotificationService({ notifications: db.notifications, rooms: db.rooms });
  const push = createPushService({
    push: db.push,
    rooms: db.rooms,
    notifications,
    events,
    hasSocket: presence.hasSocket,
    socketHolders: presence.socketHolders,
    allowedOrigins: config.PUSH_ALLOWED_ORIGINS,
    subject: config.VAPID_SUBJECT,
    log,
  });
  const retention =
    config.RETENTION_DAYS === undefined
      ? undefined
      : createRetention({ messages: db.messages, days: config.RETENTION_DAYS, log });
  return {
    search,
    auth,
    /** RETENTION_DAYS' daily purge (undefined when off) */
    retention,
    admin,
    registration,
    profiles,
    account,
    apiTokens,
    hooks,
    rooms,
    presence,
    throttles,
    messages,
    messageActions,
    notifications,
    push,
    files,
    events,
    /** true when the database answers */
    healthy: (): Promise<boolean> => db.healthy(),
    /** null when ready to serve (migrated, writable); else why not */
    notReadyReason: (): Promise<string | null> => db.notReadyReason(),
    async close(): Promise<void> {
      await retention?.close();
      push.close();
      stopSweep();
      events.removeAllListeners();
      presence.close();
      await passwords.close();
    },
  };
}
export type Services = ReturnType<typeof createServices>;
