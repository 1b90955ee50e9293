// Profiles: the display name, status line and avatar a user shows, and their own view of them (GET /api/me).
// Every change is announced on the bus as `user:updated`, so open clients re-render names and avatars.
import { randomBytes } from "node:crypto";
import type { ProfileQueries, StoredProfile } from "../db/data-layer";
import { AppError } from "../errors";
import { avatarUrlFor, type MeResponse, type ProfilePatch, type UserProfile } from "../protocol";
import type { Identity } from "./auth";
import { makeAvatar } from "./avatar-image";
import type { ChatEvents } from "./events";

export function toUserProfile(p: StoredProfile): UserProfile {
  return {
    username: p.username,
    displayName: p.displayName,
    avatarUrl: avatarUrlFor(p.avatarId),
    status: p.statusText,
  };
}

export function createProfileService(deps: { profiles: ProfileQueries; events: ChatEvents }) {
  const { profiles, events } = deps;

  async function me(user: Identity): Promise<MeResponse> {
    const p = await profiles.profile(user.userId);
    if (!p) throw new AppError("unauthorized", "Missing, invalid or expired token");
    return { ...toUserProfile(p), admin: user.admin, createdAt: p.createdAt.toISOString() };
  }

  function announce(p: StoredProfile): void {
    events.emit("user:updated", toUserProfile(p));
  }

  return {
    me,
    async update(user: Identity, patch: ProfilePatch): Promise<MeResponse> {
      const change: { displayName?: string | null; statusText?: string | null } = {};
      if (patch.displayName !== undefined) change.displayName = patch.displayName;
      // an empty status is no status
      if (patch.status !== undefined) change.statusText = patch.status || null;
      announce(await profiles.updateProfile(user.userId, change));
      return me(user);
    },
    /** resizes and stores an uploaded image; the new avatar's URL */
    async setAvatar(user: Identity, upload: Uint8Array): Promise<string> {
      const images = await makeAvatar(upload);
      const id = randomBytes(16).toString("hex");
      await profiles.setAvatar(user.userId, { id, ...images });
      const p = await profiles.profile(user.userId);
      if (p) announce(p);
      return avatarUrlFor(id) ?? "";
    },
    async removeAvatar(user: Identity): Promise<void> {
      if (!(await profiles.removeAvatar(user.userId))) return;
      const p = await profiles.profile(user.userId);
      if (p) announce(p);
    },
    /** an avatar's image bytes (any signed-in user may see anyone's), or not_found */
    async avatarImage(id: string, size: "large" | "small"): Promise<Uint8Array> {
      const bytes = /^[0-9a-f]{32}$/.test(id) ? await profiles.avatarImage(id, size) : null;
      if (!bytes) throw new AppError("not_found", "No such avatar");
      return bytes;
    },
  };
}
export type ProfileService = ReturnType<typeof createProfileService>;
