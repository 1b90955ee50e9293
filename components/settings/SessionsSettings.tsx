"use client";
import { useCallback, useEffect, useState } from "react";
import { useChat } from "@/hooks/useChat";
import type { SessionInfo } from "@/lib/protocol";
import { Alert } from "../Alert";
import { reasonOf, SettingsSection } from "./SettingsPane";

const when = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

/** Where this account is signed in; any other session can be signed out (its sockets close at once). */
export function SessionsSettings() {
  const client = useChat();
  const [sessions, setSessions] = useState<SessionInfo[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(
    () =>
      client.http.sessions().then(
        (list) => setSessions(list),
        (err: unknown) => setError(`Could not load your sessions: ${reasonOf(err)}`),
      ),
    [client],
  );
  useEffect(() => void load(), [load]);

  const revoke = async (action: () => Promise<unknown>) => {
    setError(null);
    setBusy(true);
    try {
      await action();
    } catch (err) {
      setError(reasonOf(err));
    } finally {
      setBusy(false);
      await load();
    }
  };

  const others = sessions?.filter((s) => !s.current) ?? [];
  return (
    <SettingsSection id="sessions" title="Where you are signed in">
      {sessions === null && !error ? <p className="muted">Loading…</p> : null}
      <ul className="session-list">
        {sessions?.map((s) => (
          <li key={s.id} data-testid="session" data-current={s.current ? "true" : undefined}>
            <div className="session-device">
              <strong>{s.device}</strong>
              {s.current ? <span className="badge">This device</span> : null}
            </div>
            <div className="session-times muted">
              Signed in {when.format(new Date(s.createdAt))} · last active {when.format(new Date(s.lastUsedAt))}
            </div>
            {s.current ? null : (
              <button
                type="button"
                className="ghost"
                disabled={busy}
                onClick={() => void revoke(() => client.http.revokeSession(s.id))}
                aria-label={`Sign out ${s.device}, signed in ${when.format(new Date(s.createdAt))}`}
              >
                Sign out
              </button>
            )}
          </li>
        ))}
      </ul>
      {others.length > 0 ? (
        <button
          type="button"
          className="ghost danger-text"
          disabled={busy}
          onClick={() => void revoke(client.http.revokeOtherSessions)}
        >
          Sign out all other sessions
        </button>
      ) : sessions ? (
        <p className="muted">You are signed in on this device only.</p>
      ) : null}
      <Alert error={error} />
    </SettingsSection>
  );
}
