"use client";
import { useEffect, useId, useState, type FormEvent } from "react";
import type { AdminInvite, InviteCreated } from "@/lib/protocol";
import { Alert } from "../Alert";
import { ConfirmDialog, type Confirmation } from "../ConfirmDialog";
import { problem, useAdminHttp, when } from "./useAdmin";

const STATE_LABEL: Record<AdminInvite["state"], string> = { active: "Active", expired: "Expired", used: "Used up" };

/** Make an invite link (shown once), list the ones not revoked, revoke. */
export function InvitesSection({ version, onChanged }: { version: number; onChanged: () => void }) {
  const http = useAdminHttp();
  const [invites, setInvites] = useState<AdminInvite[] | null>(null);
  const [hours, setHours] = useState("168");
  const [uses, setUses] = useState("1");
  const [created, setCreated] = useState<InviteCreated["invite"] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirmation, setConfirmation] = useState<Confirmation | null>(null);
  const headingId = useId();

  useEffect(() => {
    http.invites().then(setInvites, (err: unknown) => setError(problem(err)));
  }, [http, version]);

  const create = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      setCreated(await http.createInvite({ expiresInHours: Number(hours), uses: Number(uses) }));
      onChanged();
    } catch (err) {
      setError(problem(err));
    }
  };

  const revoke = async (id: number) => {
    setError(null);
    try {
      await http.revokeInvite(id);
      if (created?.id === id) setCreated(null);
      onChanged();
    } catch (err) {
      setError(problem(err));
    }
  };

  return (
    <section className="admin-card" aria-labelledby={headingId}>
      <h2 id={headingId}>Invites</h2>
      <form className="inline-form" onSubmit={(e) => void create(e)} noValidate>
        <div className="field">
          <label htmlFor="invite-hours">Expires after (hours)</label>
          <input
            id="invite-hours"
            type="number"
            min={1}
            max={8760}
            value={hours}
            onChange={(e) => setHours(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="invite-uses">Uses</label>
          <input
            id="invite-uses"
            type="number"
            min={1}
            max={1000}
            value={uses}
            onChange={(e) => setUses(e.target.value)}
          />
        </div>
        <button type="submit" className="button">
          Create invite link
        </button>
      </form>
      <Alert error={error} />
      {created ? (
        <div className="alert success created-link" role="status">
          <label htmlFor="invite-url">New invite link (shown once; expires {when(created.expiresAt)})</label>
          <input
            id="invite-url"
            readOnly
            value={created.url}
            onFocus={(e) => e.target.select()}
            data-testid="invite-url"
          />
        </div>
      ) : null}
      {invites === null ? (
        error ? null : (
          <p className="muted">Loading…</p>
        )
      ) : invites.length === 0 ? (
        <p className="muted">No invites yet.</p>
      ) : (
        <div className="table-scroll">
          <table className="admin-table">
            <caption className="sr-only">Invites not revoked</caption>
            <thead>
              <tr>
                <th scope="col">Invite</th>
                <th scope="col">Made by</th>
                <th scope="col">Expires</th>
                <th scope="col">Used</th>
                <th scope="col">State</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {invites.map((i) => (
                <tr key={i.id}>
                  <td>#{i.id}</td>
                  <td>{i.createdBy ?? "—"}</td>
                  <td>{when(i.expiresAt)}</td>
                  <td>
                    {i.used} of {i.uses}
                  </td>
                  <td>
                    <span className="tag" data-state={i.state}>
                      {STATE_LABEL[i.state]}
                    </span>
                  </td>
                  <td>
                    <button
                      type="button"
                      className="ghost"
                      onClick={() =>
                        setConfirmation({
                          title: `Revoke invite #${i.id}?`,
                          text: "Its link stops working at once, also for anyone it was already sent to. This cannot be undone.",
                          action: "Revoke invite",
                          run: () => revoke(i.id),
                        })
                      }
                    >
                      Revoke<span className="sr-only"> invite #{i.id}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ConfirmDialog confirmation={confirmation} onClose={() => setConfirmation(null)} />
    </section>
  );
}
