// Who may register: REGISTRATION's default, overridden by what an admin set (kept in the database). On an
// empty database the first account may always register; the data layer decides that in the transaction
// that creates it (see Admission in lib/db/data-layer.ts).
import type { AdminQueries, Admission } from "../db/data-layer";
import { AppError } from "../errors";
import { registrationModeSchema, type RegistrationMode } from "../protocol";
import { hashToken as hashSecret } from "./auth";

const SETTING = "registration";

export interface RegistrationDeps {
  admin: AdminQueries;
  defaultMode: RegistrationMode;
  now?: () => Date;
}

export function createRegistration(deps: RegistrationDeps) {
  const now = deps.now ?? (() => new Date());

  async function mode(): Promise<RegistrationMode> {
    const parsed = registrationModeSchema.safeParse(await deps.admin.setting(SETTING));
    return parsed.success ? parsed.data : deps.defaultMode;
  }

  /** What an invite code is now, said the way the register page and the 403 tell it. */
  async function inviteProblem(code: string): Promise<string | null> {
    const invite = await deps.admin.findInvite(hashSecret(code));
    if (!invite || invite.revokedAt) return "This invite link is not valid. Ask an admin for a new one.";
    if (invite.expiresAt.getTime() <= now().getTime())
      return "This invite link has expired. Ask an admin for a new one.";
    if (invite.used >= invite.maxUses) return "This invite link has been used up. Ask an admin for a new one.";
    return null;
  }

  return {
    mode,
    inviteProblem,
    async setMode(next: RegistrationMode): Promise<void> {
      await deps.admin.setSetting(SETTING, next);
    },
    /** how the data layer is to admit an account registered now, with `invite` if one was given */
    async admission(invite: string | undefined): Promise<Admission> {
      const current = await mode();
      if (current === "open") return { kind: "open" };
      if (current === "invite" && invite) return { kind: "invite", codeHash: hashSecret(invite), now: now() };
      return { kind: "first-only" };
    },
    /**
     * What the register page says before anyone types: null when registering would be let in now (as far as
     * can be told: a race or an invite used meanwhile is still refused by the registration itself).
     */
    async problem(invite: string | undefined): Promise<string | null> {
      const current = await mode();
      if (current === "open" || !(await deps.admin.hasUsers())) return null;
      if (current === "closed") return "Registration is closed on this server. Ask an admin for an account.";
      if (!invite) return "Registration on this server needs an invite link. Ask an admin for one.";
      return inviteProblem(invite);
    },
    /** the 403 for a registration the admission refused */
    async refusal(invite: string | undefined): Promise<AppError> {
      const current = await mode();
      if (current === "closed") return new AppError("forbidden", "Registration is closed on this server.");
      if (!invite) return new AppError("forbidden", "Registration on this server needs an invite link from an admin.");
      return new AppError("forbidden", (await inviteProblem(invite)) ?? "This invite link cannot be used.");
    },
  };
}
export type Registration = ReturnType<typeof createRegistration>;
