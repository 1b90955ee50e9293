"use client";
import { useEffect, useId, useState } from "react";
import type { UserAction } from "@/lib/client/admin-http";
import type { AdminUser } from "@/lib/protocol";
import { Alert } from "../Alert";
import { ConfirmDialog, type Confirmation } from "../ConfirmDialog";
import { problem, useAdminHttp, when } from "./useAdmin";

const SEARCH_DELAY_MS = 200;

/** People, searchable by name: make or remove admins, deactivate and reactivate, make a password reset link. */
export function UsersSection({ me, onChanged }: { me: string; onChanged: () => void }) {
  const http = useAdminHttp();
  const [query, setQuery] = useState("");
  const [users, setUsers] = useState<AdminUser[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [reset, setReset] = useState<{ username: string; url: string; expiresAt: string } | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [confirmation, setConfirmation] = useState<Confirmation | null>(null);
  const headingId = useId();

  useEffect(() => {
    const timer = setTimeout(() => {
      http.users(query).then(setUsers, (err: unknown) => setError(problem(err)));
    }, SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [http, query]);

  const replace = (user: AdminUser) =>
    setUsers((list) => list?.map((u) => (u.username === user.username ? user : u)) ?? null);

  const act = async (username: string, action: UserAction, done: string) => {
    setError(null);
    setNotice(null);
    setConfirming(null);
    try {
      replace(await http.userAction(username, action));
      setNotice(done);
      onChanged();
    } catch (err) {
      setError(problem(err));
    }
  };

  const makeReset = async (username: string) => {
    setError(null);
    setNotice(null);
    try {
      setReset({ username, ...(await http.resetPassword(username)) });
      onChanged();
    } catch (err) {
      setError(problem(err));
    }
  };

  return (
    <section className="admin-card" aria-labelledby={headingId}>
      <h2 id={headingId}>People</h2>
      <div className="field">
        <label htmlFor="user-search">Search by username</label>
        <input id="user-search" type="search" value={query} onChange={(e) => setQuery(e.target.value)} />
      </div>
      <Alert error={error} success={notice} />
      {reset ? (
        <div className="alert success created-link" role="status">
          <label htmlFor="reset-url">
            Password reset link for {reset.username} (works once, until {when(reset.expiresAt)}): send it to them
          </label>
          <input id="reset-url" readOnly value={reset.url} onFocus={(e) => e.target.select()} />
        </div>
      ) : null}
      {users === null ? (
        error ? null : (
          <p className="muted">Loading…</p>
        )
      ) : users.length === 0 ? (
        <p className="muted">Nobody matches “{query}”.</p>
      ) : (
        <ul className="user-rows" aria-label="People">
          {users.map((u) => (
            <li key={u.username} className="user-row" data-testid={`user-${u.username}`}>
              <div className="user-who">
                <strong>{u.username}</strong>
                {u.admin ? <span className="tag">Admin</span> : null}
                {u.deactivated ? (
                  <span className="tag" data-state="expired">
                    Deactivated
                  </span>
                ) : null}
                <span className="muted user-since">joined {when(u.createdAt)}</span>
              </div>
              {u.username === me ? (
                <span className="muted">This is you</span>
              ) : (
                <div className="user-actions">
                  {u.admin ? (
                    <button
                      type="button"
                      className="ghost"
                      onClick={() =>
                        setConfirmation({
                          title: `Remove ${u.username} as admin?`,
                          text: `${u.username} keeps their account but can no longer open Administration or delete others' messages.`,
                          action: "Remove admin",
                          run: () => act(u.username, "revoke", `${u.username} is no longer an admin.`),
                        })
                      }
                    >
                      Remove admin<span className="sr-only"> from {u.username}</span>
                    </button>
                  ) : (
                    <button
                      type="button"
                      className="ghost"
                      onClick={() => void act(u.username, "grant", `${u.username} is now an admin.`)}
                    >
                      Make admin<span className="sr-only"> {u.username}</span>
                    </button>
                  )}
                  {u.deactivated ? (
                    <button
                      type="button"
                      className="ghost"
                      onClick={() => void act(u.username, "reactivate", `${u.username} can log in again.`)}
                    >
                      Reactivate<span className="sr-only"> {u.username}</span>
                    </button>
                  ) : (
                    <>
                      <button
                        type="button"
                        className="ghost"
                        onClick={() =>
                          setConfirmation({
                            title: `Reset ${u.username}'s password?`,
                            text: `A one-time link is made (valid 24 hours) for you to send to ${u.username}: it lets them set a new password, and logs them out everywhere.`,
                            action: "Make reset link",
                            run: () => makeReset(u.username),
                          })
                        }
                      >
                        Reset password<span className="sr-only"> of {u.username}</span>
                      </button>
                      {confirming === u.username ? (
                        <button
                          type="button"
                          className="button danger"
                          onClick={() =>
                            void act(
                              u.username,
                              "deactivate",
                              `${u.username} is deactivated and logged out everywhere.`,
                            )
                          }
                        >
                          Confirm: deactivate {u.username}
                        </button>
                      ) : (
                        <button type="button" className="ghost danger-text" onClick={() => setConfirming(u.username)}>
                          Deactivate<span className="sr-only"> {u.username}</span>
                        </button>
                      )}
                    </>
                  )}
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      <ConfirmDialog confirmation={confirmation} onClose={() => setConfirmation(null)} />
    </section>
  );
}
