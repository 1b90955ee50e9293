// The admin page's REST calls (/api/admin/*), over the client core's request function, every answer parsed with
// the protocol's schemas. Refusals become ApiErrors carrying the server's detail.
import type { z } from "zod";
import {
  adminInvitesResponseSchema,
  adminSettingsResponseSchema,
  adminUserResponseSchema,
  adminUsersResponseSchema,
  auditLogResponseSchema,
  inviteCreatedSchema,
  passwordResetCreatedSchema,
  type AdminInvite,
  type AdminSettingsResponse,
  type AdminUser,
  type AuditEntry,
  type CreateInvite,
  type InviteCreated,
  type PasswordResetCreated,
  type RegistrationMode,
} from "../protocol";
import { ApiError } from "./errors";
import type { Http } from "./http";

export type AdminHttp = ReturnType<typeof createAdminHttp>;
export type UserAction = "deactivate" | "reactivate" | "grant" | "revoke";

const userPath = (username: string, rest: string) => `api/admin/users/${encodeURIComponent(username)}/${rest}`;

export function createAdminHttp(http: Http) {
  async function send<S extends z.ZodType>(
    method: "POST" | "PUT" | "DELETE",
    path: string,
    schema: S,
    body?: unknown,
  ): Promise<z.infer<S>> {
    const answer = await http.request(path, { method, body });
    if (answer.status < 200 || answer.status >= 300) throw http.failure(answer);
    const parsed = schema.safeParse(answer.body);
    if (!parsed.success) throw new ApiError(answer.status, "malformed answer from the server");
    return parsed.data;
  }

  return {
    users: async (q: string): Promise<AdminUser[]> =>
      (await http.getJson(`api/admin/users?q=${encodeURIComponent(q)}`, adminUsersResponseSchema)).users,
    async userAction(username: string, action: UserAction): Promise<AdminUser> {
      const [method, rest] =
        action === "grant"
          ? (["POST", "admin"] as const)
          : action === "revoke"
            ? (["DELETE", "admin"] as const)
            : (["POST", action] as const);
      return (await send(method, userPath(username, rest), adminUserResponseSchema)).user;
    },
    resetPassword: async (username: string): Promise<PasswordResetCreated["reset"]> =>
      (await send("POST", userPath(username, "password-reset"), passwordResetCreatedSchema)).reset,
    invites: async (): Promise<AdminInvite[]> =>
      (await http.getJson("api/admin/invites", adminInvitesResponseSchema)).invites,
    createInvite: async (input: CreateInvite): Promise<InviteCreated["invite"]> =>
      (await send("POST", "api/admin/invites", inviteCreatedSchema, input)).invite,
    async revokeInvite(id: number): Promise<void> {
      const answer = await http.request(`api/admin/invites/${id}`, { method: "DELETE" });
      if (answer.status !== 200) throw http.failure(answer);
    },
    settings: (): Promise<AdminSettingsResponse> => http.getJson("api/admin/settings", adminSettingsResponseSchema),
    setRegistration: (registration: RegistrationMode): Promise<AdminSettingsResponse> =>
      send("PUT", "api/admin/settings", adminSettingsResponseSchema, { registration }),
    audit: async (): Promise<AuditEntry[]> => (await http.getJson("api/admin/audit", auditLogResponseSchema)).entries,
  };
}
