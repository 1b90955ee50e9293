// The REST calls of integrations for both front ends: incoming webhooks (a room's, made and revoked by its
// members) and personal access tokens (the user's own), every answer validated with the protocol's schemas.
import type { z } from "zod";
import {
  apiTokensResponseSchema,
  createdApiTokenSchema,
  createdHookResponseSchema,
  hooksResponseSchema,
  revokedIdResponseSchema,
  type ApiTokenInfo,
  type CreatedApiToken,
  type Hook,
} from "../protocol";
import { ApiError } from "./errors";
import type { Http } from "./http";

export function integrationsApi(http: Http) {
  async function call<S extends z.ZodType>(
    path: string,
    schema: S,
    init: { method?: "GET" | "POST" | "DELETE"; body?: unknown } = {},
  ): Promise<z.infer<S>> {
    const answer = await http.request(path, init);
    if (answer.status < 200 || answer.status >= 300) throw http.failure(answer);
    const parsed = schema.safeParse(answer.body);
    if (!parsed.success) throw new ApiError(answer.status, "malformed answer from the server");
    return parsed.data;
  }

  return {
    /** the hooks of every room the user is in */
    hooks: async (): Promise<Hook[]> => (await call("api/hooks", hooksResponseSchema)).hooks,
    /** a new hook; its `url` is in this answer only */
    createHook: async (room: string, name: string): Promise<Hook & { url: string }> =>
      (await call("api/hooks", createdHookResponseSchema, { method: "POST", body: { room, name } })).hook,
    revokeHook: async (id: number): Promise<void> => {
      await call(`api/hooks/${id}`, revokedIdResponseSchema, { method: "DELETE" });
    },
    tokens: async (): Promise<ApiTokenInfo[]> => (await call("api/me/tokens", apiTokensResponseSchema)).tokens,
    /** a new token, shown in this answer only */
    createToken: (name: string): Promise<CreatedApiToken> =>
      call("api/me/tokens", createdApiTokenSchema, { method: "POST", body: { name } }),
    revokeToken: async (id: number): Promise<void> => {
      await call(`api/me/tokens/${id}`, revokedIdResponseSchema, { method: "DELETE" });
    },
  };
}
export type IntegrationsApi = ReturnType<typeof integrationsApi>;
