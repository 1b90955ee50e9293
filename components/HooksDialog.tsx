"use client";
import { useCallback, useEffect, useId, useState, type FormEvent } from "react";
import { useChat } from "@/hooks/useChat";
import { integrationsApi } from "@/lib/client/integrations";
import type { Hook } from "@/lib/protocol";
import { roomKey } from "@/lib/web/routes";
import { Alert } from "./Alert";
import { HookIcon } from "./icons";
import { Modal } from "./Modal";
import { SecretReveal } from "./SecretReveal";

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));
const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : "never");

/** "Webhooks" in a room's header: make incoming webhooks for the room (URL shown once), list and revoke them. */
export function HooksButton({ room }: { room: string }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="ghost icon-text" aria-label="Webhooks" onClick={() => setOpen(true)}>
        <HookIcon />
        <span className="narrow-hidden"> Webhooks</span>
      </button>
      <Modal open={open} onClose={() => setOpen(false)} title={`Webhooks for # ${room}`}>
        <HooksPanel room={room} onDone={() => setOpen(false)} />
      </Modal>
    </>
  );
}

function HooksPanel({ room, onDone }: { room: string; onDone: () => void }) {
  const client = useChat();
  const api = integrationsApi(client.http);
  const nameId = useId();
  const [hooks, setHooks] = useState<Hook[] | null>(null);
  const [name, setName] = useState("");
  const [created, setCreated] = useState<Hook & { url: string }>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => {
    integrationsApi(client.http)
      .hooks()
      .then((all) => setHooks(all.filter((h) => roomKey(h.room) === roomKey(room))))
      .catch((err: unknown) => setError(message(err)));
  }, [client, room]);
  useEffect(load, [load]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setCreated(await api.createHook(room, name.trim()));
      setName("");
      load();
    } catch (err) {
      setError(message(err));
    } finally {
      setBusy(false);
    }
  };
  const revoke = async (hook: Hook) => {
    try {
      await api.revokeHook(hook.id);
      if (created?.id === hook.id) setCreated(undefined);
      load();
    } catch (err) {
      setError(message(err));
    }
  };

  return (
    <div className="integrations">
      <p className="hint">
        Other services (Grafana, Uptime Kuma, CI, scripts) post to a webhook&apos;s URL the way they post to Slack or
        Mattermost. Their messages are marked as a bot.
      </p>
      {created ? <SecretReveal label={`URL of “${created.name}”`} value={created.url} /> : null}
      <form className="inline-form" onSubmit={(e) => void submit(e)}>
        <div className="field">
          <label htmlFor={nameId}>New webhook&apos;s name</label>
          <input id={nameId} value={name} onChange={(e) => setName(e.target.value)} maxLength={64} required />
        </div>
        <button type="submit" className="button" disabled={busy}>
          Create
        </button>
      </form>
      <Alert error={error} />
      <h3>In this room</h3>
      {hooks === null ? (
        <p className="hint">Loading…</p>
      ) : hooks.length === 0 ? (
        <p className="hint">No webhooks yet.</p>
      ) : (
        <ul className="integration-list" aria-label="Webhooks">
          {hooks.map((h) => (
            <li key={h.id} data-testid="hook">
              <span className="integration-name">{h.name}</span>
              <span className="integration-meta">
                by {h.createdBy} · last used {when(h.lastUsedAt)}
              </span>
              <button type="button" className="ghost danger" onClick={() => void revoke(h)}>
                Revoke<span className="sr-only"> {h.name}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="dialog-actions">
        <button type="button" className="ghost" onClick={onDone}>
          Close
        </button>
      </div>
    </div>
  );
}
