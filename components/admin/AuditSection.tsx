"use client";
import { useEffect, useId, useState } from "react";
import type { AuditEntry } from "@/lib/protocol";
import { Alert } from "../Alert";
import { problem, useAdminHttp, when } from "./useAdmin";

const ACTIONS: Record<string, string> = {
  "admin.grant": "made an admin",
  "admin.revoke": "removed as admin",
  "user.deactivate": "deactivated",
  "user.reactivate": "reactivated",
  "user.password-reset": "password reset link made",
  "invite.create": "invite made",
  "invite.revoke": "invite revoked",
  "registration.set": "registration set to",
};

/** Every admin action, newest first: who, what, to whom, when. */
export function AuditSection({ version }: { version: number }) {
  const http = useAdminHttp();
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const headingId = useId();

  useEffect(() => {
    http.audit().then(setEntries, (err: unknown) => setError(problem(err)));
  }, [http, version]);

  return (
    <section className="admin-card" aria-labelledby={headingId}>
      <h2 id={headingId}>Audit log</h2>
      <Alert error={error} />
      {entries === null ? (
        error ? null : (
          <p className="muted">Loading…</p>
        )
      ) : entries.length === 0 ? (
        <p className="muted">No admin actions yet.</p>
      ) : (
        <div className="table-scroll">
          <table className="admin-table" data-testid="audit-log">
            <caption className="sr-only">Admin actions, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
                <th scope="col">Target</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id}>
                  <td>
                    <time dateTime={e.at}>{when(e.at)}</time>
                  </td>
                  <td>{e.actor}</td>
                  <td>{ACTIONS[e.action] ?? e.action}</td>
                  <td>{e.target ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
