"use client";
import { useState, type FormEvent } from "react";
import { useChat } from "@/hooks/useChat";
import { describeZodError, passwordChangeSchema } from "@/lib/protocol";
import { Alert } from "../Alert";
import { NewPasswordField, PasswordField, PASSWORDS_DIFFER, RepeatPasswordField } from "../PasswordField";
import { reasonOf, SettingsSection } from "./SettingsPane";

/** The password: the current one is asked for; every other session is signed out when it changes. */
export function PasswordSettings({ onChanged }: { onChanged: () => void }) {
  const client = useChat();
  const [current, setCurrent] = useState("");
  const [password, setPassword] = useState("");
  const [repeat, setRepeat] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [success, setSuccess] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSuccess(null);
    const parsed = passwordChangeSchema.safeParse({ current, password });
    if (!parsed.success) return setError(describeZodError(parsed.error));
    if (password !== repeat) return setError(PASSWORDS_DIFFER);
    setError(null);
    setBusy(true);
    try {
      const { revoked } = await client.http.changePassword(parsed.data);
      setCurrent("");
      setPassword("");
      setRepeat("");
      const others = revoked === 1 ? "1 other session was" : `${revoked} other sessions were`;
      setSuccess(`Password changed. ${others} signed out.`);
      onChanged();
    } catch (err) {
      setError(reasonOf(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <SettingsSection id="password" title="Password">
      <form className="settings-form" onSubmit={(e) => void submit(e)} noValidate>
        {/* lets password managers tie the new password to this account */}
        <input type="text" autoComplete="username" value={client.me} readOnly hidden />
        <PasswordField
          id="current-password"
          label="Current password"
          autoComplete="current-password"
          value={current}
          onChange={setCurrent}
        />
        <NewPasswordField
          value={password}
          onChange={setPassword}
          hint="Every other device you are signed in on is signed out."
        />
        <RepeatPasswordField value={repeat} onChange={setRepeat} />
        <Alert error={error} success={success} />
        <button type="submit" className="primary settings-submit" disabled={busy}>
          {busy ? "Changing…" : "Change password"}
        </button>
      </form>
    </SettingsSection>
  );
}
