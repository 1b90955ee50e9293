"use client";
import Link from "next/link";
import { useState, type FormEvent } from "react";
import { describeZodError, passwordResetSchema } from "@/lib/protocol";
import { Alert } from "./Alert";
import { NewPasswordField, PASSWORDS_DIFFER, RepeatPasswordField } from "./PasswordField";

/** A new password for the account an admin's reset link names; or why the link no longer works. */
export function ResetPasswordForm({ token, username }: { token: string | undefined; username: string | null }) {
  const [password, setPassword] = useState("");
  // typed twice, as in Settings: a typo here would lock the account out until an admin makes another link
  const [repeat, setRepeat] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const parsed = passwordResetSchema.safeParse({ token, password });
    if (!parsed.success) return setError(describeZodError(parsed.error));
    if (password !== repeat) return setError(PASSWORDS_DIFFER);
    setBusy(true);
    try {
      const res = await fetch("/api/password-reset", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(parsed.data),
        credentials: "same-origin",
      });
      const body = (await res.json().catch(() => ({}))) as { detail?: string };
      if (!res.ok) return setError(body.detail ?? `Request failed (${res.status})`);
      setDone(true);
    } catch {
      setError("Cannot reach the server. Check your connection and try again.");
    } finally {
      setBusy(false);
    }
  };

  if (!token || !username) {
    return (
      <main className="auth">
        <div className="auth-card">
          <h1>Link not valid</h1>
          <p className="lead">
            This password reset link is not valid, was used already, or has expired. Ask an admin for a new one.
          </p>
          <Link href="/login" className="primary">
            Go to log in
          </Link>
        </div>
      </main>
    );
  }
  return (
    <main className="auth">
      <form className="auth-card" method="post" onSubmit={(e) => void submit(e)} noValidate>
        <h1>Choose a new password</h1>
        <p className="lead">For the account {username}. You will be logged out everywhere.</p>
        <Alert error={error} success={done ? "Password changed. You can log in with it now." : null} />
        {done ? (
          <Link href="/login" className="primary">
            Go to log in
          </Link>
        ) : (
          <>
            {/* lets password managers file the new password under this account */}
            <input type="text" autoComplete="username" value={username} readOnly hidden />
            <NewPasswordField value={password} onChange={setPassword} required autoFocus />
            <RepeatPasswordField value={repeat} onChange={setRepeat} required />
            <button className="primary" type="submit" disabled={busy}>
              {busy ? "Please wait…" : "Set password"}
            </button>
          </>
        )}
      </form>
    </main>
  );
}
