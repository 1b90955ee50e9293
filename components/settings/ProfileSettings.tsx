"use client";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { useChat } from "@/hooks/useChat";
import { useUser } from "@/hooks/useProfile";
import { describeZodError, LIMITS, profilePatchSchema } from "@/lib/protocol";
import { Alert } from "../Alert";
import { Avatar } from "../Avatar";
import { reasonOf, SettingsSection } from "./SettingsPane";

/** Display name, status and avatar. What is saved reaches everyone (and this page) as user:updated. */
export function ProfileSettings() {
  const client = useChat();
  const me = useUser(client.me);
  const [displayName, setDisplayName] = useState("");
  const [status, setStatus] = useState("");
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [success, setSuccess] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    client.http.me().then(
      (profile) => {
        if (!live) return;
        setDisplayName(profile.displayName ?? "");
        setStatus(profile.status ?? "");
        setLoaded(true);
      },
      (err: unknown) => live && setError(`Could not load your profile: ${reasonOf(err)}`),
    );
    return () => {
      live = false;
    };
  }, [client]);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setSuccess(null);
    // an empty name field means "show my username"
    const parsed = profilePatchSchema.safeParse({ displayName: displayName.trim() || null, status });
    if (!parsed.success) return setError(describeZodError(parsed.error));
    setError(null);
    setBusy(true);
    try {
      const saved = await client.http.updateProfile(parsed.data);
      setDisplayName(saved.displayName ?? "");
      setStatus(saved.status ?? "");
      setSuccess("Profile saved");
    } catch (err) {
      setError(reasonOf(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <SettingsSection id="profile" title="Profile">
      <AvatarPicker username={client.me} url={me?.avatarUrl ?? null} />
      <form className="settings-form" onSubmit={(e) => void save(e)} noValidate>
        <div className="field">
          <label htmlFor="display-name">Display name</label>
          <input
            id="display-name"
            value={displayName}
            onChange={(e) => setDisplayName(e.target.value)}
            placeholder={client.me}
            autoComplete="nickname"
            disabled={!loaded}
          />
          <span className="hint">
            Shown beside your username, <strong>{client.me}</strong>, which stays your handle. Up to{" "}
            {LIMITS.displayNameMax} characters; leave it empty to show the username alone.
          </span>
        </div>
        <div className="field">
          <label htmlFor="status-text">Status</label>
          <input
            id="status-text"
            value={status}
            onChange={(e) => setStatus(e.target.value)}
            placeholder="What are you up to?"
            disabled={!loaded}
          />
          <span className="hint">Up to {LIMITS.statusMax} characters, shown on your profile card.</span>
        </div>
        <Alert error={error} success={success} />
        <button type="submit" className="primary settings-submit" disabled={busy || !loaded}>
          {busy ? "Saving…" : "Save profile"}
        </button>
      </form>
    </SettingsSection>
  );
}

/** The avatar: a preview, an upload (the server crops and resizes it) and a way back to the initials. */
function AvatarPicker({ username, url }: { username: string; url: string | null }) {
  const client = useChat();
  const input = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (action: () => Promise<unknown>) => {
    setError(null);
    setBusy(true);
    try {
      await action();
    } catch (err) {
      setError(reasonOf(err));
    } finally {
      setBusy(false);
      if (input.current) input.current.value = "";
    }
  };

  return (
    <div className="avatar-picker">
      <Avatar username={username} url={url} px={96} className="avatar profile-avatar" />
      <div className="avatar-actions">
        <label className="ghost file-button">
          {busy ? "Uploading…" : url ? "Change picture" : "Upload picture"}
          <input
            ref={input}
            type="file"
            accept="image/png,image/jpeg,image/gif,image/webp"
            className="sr-only"
            data-testid="avatar-input"
            disabled={busy}
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file) void run(() => client.http.uploadAvatar(file, file.name));
            }}
          />
        </label>
        {url ? (
          <button type="button" className="ghost" disabled={busy} onClick={() => void run(client.http.removeAvatar)}>
            Remove
          </button>
        ) : null}
        <span className="hint">PNG, JPEG, GIF or WebP; cropped to a square.</span>
        <Alert error={error} />
      </div>
    </div>
  );
}
