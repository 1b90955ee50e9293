// Administration: admins, deactivation, invites, password resets, the registration mode and the audit log.
// Knows nothing of HTTP. Every method that changes something asks the database whether the actor is an
// admin now (not what their session said when it was looked up) and writes the audit entry.
import { randomBytes } from "node:crypto";
import type { AccountChange, AdminQueries, AdminUserRecord, InviteRecord } from "../db/data-layer";
import { AppError } from "../errors";
import type {
  AdminInvite,
  AdminSettingsResponse,
  AdminUser,
  AuditEntry,
  CreateInvite,
  InviteCreated,
  PasswordResetCreated,
  RegistrationMode,
} from "../protocol";
import { hashToken, type Identity } from "./auth";
import type { ChatEvents } from "./events";
import type { PasswordHasher } from "./passwords";
import type { Registration } from "./registration";

/** how long a password-reset link works */
export const PASSWORD_RESET_TTL_MS = 24 * 60 * 60 * 1000;
const LIST_LIMIT = 200;

export interface AdminDeps {
  admin: AdminQueries;
  registration: Registration;
  defaultMode: RegistrationMode;
  passwords: PasswordHasher;
  events: ChatEvents;
  now?: () => Date;
}

/** The actor's name for the audit log, or the shell's when the command line did it. */
export type Actor = Identity | { shell: true };

/** ≥ 128 bits: 32 random bytes, base64url */
const newSecret = (): string => randomBytes(32).toString("base64url");

export const toAdminUser = (u: AdminUserRecord): AdminUser => ({
  username: u.username,
  admin: u.admin,
  deactivated: u.deactivatedAt !== null,
  createdAt: u.createdAt.toISOString(),
  lastSeen: u.lastSeenAt?.toISOString() ?? null,
});

function toAdminInvite(i: InviteRecord, now: Date): AdminInvite {
  const state = i.used >= i.maxUses ? "used" : i.expiresAt.getTime() <= now.getTime() ? "expired" : "active";
  return {
    id: i.id,
    createdBy: i.createdBy,
    createdAt: i.createdAt.toISOString(),
    expiresAt: i.expiresAt.toISOString(),
    uses: i.maxUses,
    used: i.used,
    state,
  };
}

function refuseChange(change: AccountChange, unchanged: string): void {
  if (change === "last-admin")
    throw new AppError("conflict", "This is the last active admin: make another admin first");
  if (change === "unchanged") throw new AppError("conflict", unchanged);
}

export function createAdminService(deps: AdminDeps) {
  const { admin: db } = deps;
  const now = deps.now ?? (() => new Date());

  async function requireAdmin(actor: Actor): Promise<void> {
    if ("shell" in actor) return;
    if (!(await db.isAdmin(actor.userId))) throw new AppError("forbidden", "Only admins can do this");
  }

  async function audit(actor: Actor, action: string, target: string | null): Promise<void> {
    const who =
      "shell" in actor ? { actorId: null, actor: "(shell)" } : { actorId: actor.userId, actor: actor.username };
    await db.audit({ ...who, action, target });
  }

  async function userNamed(username: string): Promise<AdminUserRecord> {
    const user = await db.findUser(username);
    if (!user) throw new AppError("not_found", `No user ${username}`);
    return user;
  }

  /** the same (after the admin check, the lookup, the change and the audit entry), for each account action */
  async function changeUser(
    actor: Actor,
    username: string,
    action: string,
    change: (user: AdminUserRecord) => Promise<AccountChange>,
    unchanged: string,
  ): Promise<AdminUser> {
    await requireAdmin(actor);
    const user = await userNamed(username);
    refuseChange(await change(user), unchanged);
    await audit(actor, action, user.username);
    return toAdminUser(await userNamed(user.username));
  }

  return {
    requireAdmin,
    /** for GET /api/me's `admin` and the pages: an active account with the flag */
    isAdmin: (userId: number): Promise<boolean> => db.isAdmin(userId),

    async listUsers(actor: Actor, search = ""): Promise<AdminUser[]> {
      await requireAdmin(actor);
      return (await db.listUsers(search.trim(), LIST_LIMIT)).map(toAdminUser);
    },

    setAdmin(actor: Actor, username: string, admin: boolean): Promise<AdminUser> {
      return changeUser(
        actor,
        username,
        admin ? "admin.grant" : "admin.revoke",
        (u) => db.setAdmin(u.id, admin),
        admin ? `${username} is an admin already` : `${username} is not an admin`,
      );
    },

    /** every session ends and every socket of the user closes (session:revoked); the messages stay */
    deactivate(actor: Actor, username: string): Promise<AdminUser> {
      if (!("shell" in actor) && actor.username.toLowerCase() === username.toLowerCase()) {
        return Promise.reject(new AppError("conflict", "You cannot deactivate your own account"));
      }
      return changeUser(
        actor,
        username,
        "user.deactivate",
        async (u) => {
          const { change, sessionIds } = await db.deactivate(u.id, now());
          for (const id of sessionIds) deps.events.emit("session:revoked", id);
          return change;
        },
        `${username} is deactivated already`,
      );
    },

    reactivate(actor: Actor, username: string): Promise<AdminUser> {
      return changeUser(actor, username, "user.reactivate", (u) => db.reactivate(u.id), `${username} is active`);
    },

    /** a one-time link (its token's hash kept) that lets the user choose a new password */
    async createPasswordReset(actor: Actor, username: string, origin: string): Promise<PasswordResetCreated> {
      await requireAdmin(actor);
      const user = await userNamed(username);
      if (user.deactivatedAt) throw new AppError("conflict", `${user.username} is deactivated: reactivate them first`);
      const token = newSecret();
      const expiresAt = new Date(now().getTime() + PASSWORD_RESET_TTL_MS);
      await db.createPasswordReset(user.id, hashToken(token), expiresAt);
      await audit(actor, "user.password-reset", user.username);
      return { reset: { url: `${origin}/reset-password?token=${token}`, expiresAt: expiresAt.toISOString() } };
    },

    /** the user a reset link is for, while it works (the reset page asks) */
    async passwordResetUser(token: string): Promise<string | null> {
      return (await db.passwordResetUser(hashToken(token), now()))?.username ?? null;
    },

    /** sets the password; every session of the user ends (their sockets close) */
    async completePasswordReset(token: string, password: string): Promise<void> {
      const hash = await deps.passwords.hash(password);
      const done = await db.usePasswordReset(hashToken(token), hash, now());
      if (!done)
        throw new AppError("forbidden", "This password reset link is not valid, was used already, or has expired");
      for (const id of done.sessionIds) deps.events.emit("session:revoked", id);
    },

    async createInvite(actor: Identity, input: CreateInvite, origin: string): Promise<InviteCreated> {
      await requireAdmin(actor);
      const code = newSecret();
      const expiresAt = new Date(now().getTime() + input.expiresInHours * 3600_000);
      const id = await db.createInvite({
        codeHash: hashToken(code),
        createdById: actor.userId,
        expiresAt,
        maxUses: input.uses,
      });
      await audit(actor, "invite.create", `#${id} (${input.uses} use${input.uses === 1 ? "" : "s"})`);
      const url = `${origin}/register?invite=${code}`;
      return { invite: { id, code, url, expiresAt: expiresAt.toISOString() } };
    },

    async listInvites(actor: Actor): Promise<AdminInvite[]> {
      await requireAdmin(actor);
      const at = now();
      return (await db.listInvites(LIST_LIMIT)).map((i) => toAdminInvite(i, at));
    },

    async revokeInvite(actor: Actor, id: number): Promise<void> {
      await requireAdmin(actor);
      if (!(await db.revokeInvite(id, now()))) throw new AppError("not_found", `No invite ${id}`);
      await audit(actor, "invite.revoke", `#${id}`);
    },

    async settings(actor: Actor): Promise<AdminSettingsResponse> {
      await requireAdmin(actor);
      return { registration: await deps.registration.mode(), registrationDefault: deps.defaultMode };
    },

    async setRegistration(actor: Actor, mode: RegistrationMode): Promise<AdminSettingsResponse> {
      await requireAdmin(actor);
      await deps.registration.setMode(mode);
      await audit(actor, "registration.set", mode);
      return { registration: mode, registrationDefault: deps.defaultMode };
    },

    async auditLog(actor: Actor): Promise<AuditEntry[]> {
      await requireAdmin(actor);
      return (await db.auditLog(LIST_LIMIT)).map((e) => ({
        id: e.id,
        actor: e.actor,
        action: e.action,
        target: e.target,
        at: e.createdAt.toISOString(),
      }));
    },
  };
}
export type AdminService = ReturnType<typeof createAdminService>;
