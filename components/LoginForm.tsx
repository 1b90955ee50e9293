"use client";
import { useRouter } from "next/navigation";
import { useState, useSyncExternalStore, type FormEvent } from "react";
import { credentialsSchema, describeZodError, LIMITS } from "@/lib/protocol";
import { Alert } from "./Alert";
import { NEW_PASSWORD_RULE, PasswordField } from "./PasswordField";

type Mode = "login" | "register";
const noop = () => () => undefined;

async function post(path: string, body: unknown): Promise<{ ok: boolean; detail?: string }> {
  const res = await fetch(path, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    credentials: "same-origin",
  });
  const data = (await res.json().catch(() => ({}))) as { detail?: string };
  return { ok: res.ok, detail: data.detail ?? (res.ok ? undefined : `Request failed (${res.status})`) };
}

interface Props {
  initialMode: Mode;
  /** the code of the invite link the page was opened with */
  invite?: string | undefined;
  /** why registering would be refused now (closed, invite needed, invite expired…), or null */
  registrationProblem?: string | null;
  /** a page of this site to go back to once logged in (routes.ts' returnPath checked it) */
  next?: string;
}

export function LoginForm({ initialMode, invite, registrationProblem = null, next }: Props) {
  const router = useRouter();
  const [mode, setMode] = useState<Mode>(initialMode);
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // until React runs, a submit would be the browser's own GET with the password in the URL
  const ready = useSyncExternalStore(
    noop,
    () => true,
    () => false,
  );

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const parsed = credentialsSchema.safeParse({ username, password });
    if (!parsed.success) return setError(describeZodError(parsed.error));
    setBusy(true);
    try {
      if (mode === "register") {
        const reg = await post("/register", invite ? { ...parsed.data, invite } : parsed.data);
        if (!reg.ok) return setError(reg.detail ?? "Registration failed");
      }
      const login = await post("/login", parsed.data);
      if (!login.ok) return setError(login.detail ?? "Login failed");
      // the address's #m<id> (a link to a message) survived the redirect here: it goes back with it
      router.replace(next ? `${next}${window.location.hash}` : "/");
      router.refresh();
    } catch {
      setError("Cannot reach the server. Check your connection and try again.");
    } finally {
      setBusy(false);
    }
  };

  const registering = mode === "register";
  const blocked = registering && registrationProblem !== null;
  return (
    <main className="auth">
      <form className="auth-card" method="post" onSubmit={(e) => void submit(e)} noValidate>
        <h1>{registering ? "Create your account" : "Welcome back"}</h1>
        <p className="lead">{registering ? "Pick a username and a password." : "Log in to Chatterbox."}</p>
        {registering && invite && !blocked ? (
          <p className="alert success" data-testid="invite-note">
            You were invited: this invite link lets you create an account.
          </p>
        ) : null}
        {blocked ? (
          <div className="alert error" role="alert" data-testid="registration-problem">
            {registrationProblem}
          </div>
        ) : null}
        <Alert error={error} />
        <div className="field">
          <label htmlFor="username">Username</label>
          <input
            id="username"
            name="username"
            autoComplete="username"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            required
            minLength={LIMITS.usernameMin}
            maxLength={LIMITS.usernameMax}
            autoFocus
          />
          {registering ? <span className="hint">3–32 letters, digits, _ . -</span> : null}
        </div>
        <PasswordField
          id="password"
          name="password"
          label="Password"
          autoComplete={registering ? "new-password" : "current-password"}
          value={password}
          onChange={setPassword}
          // resets are made by an admin (/admin: People), there being no mail to send one by
          hint={registering ? NEW_PASSWORD_RULE : "Forgot it? An admin can make you a reset link."}
          required
        />
        <button className="primary" type="submit" disabled={busy || !ready || blocked}>
          {busy ? "Please wait…" : registering ? "Register" : "Log in"}
        </button>
        <p className="switch">
          {registering ? "Already have an account? " : "New here? "}
          <button
            type="button"
            className="link"
            onClick={() => {
              setMode(registering ? "login" : "register");
              setError(null);
            }}
          >
            {registering ? "Log in" : "Create an account"}
          </button>
        </p>
      </form>
    </main>
  );
}
