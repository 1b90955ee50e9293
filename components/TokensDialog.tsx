"use client";
import { useCallback, useEffect, useId, useState, type FormEvent } from "react";
import { useChat } from "@/hooks/useChat";
import { integrationsApi } from "@/lib/client/integrations";
import type { ApiTokenInfo, CreatedApiToken } from "@/lib/protocol";
import { Alert } from "./Alert";
import { KeyIcon } from "./icons";
import { Modal } from "./Modal";
import { SecretReveal } from "./SecretReveal";

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));
const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : "never");

/** "Tokens" in the top bar: personal access tokens for scripts (shown once), listed with their last use. */
export function TokensButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        className="ghost icon-text tokens-button"
        aria-label="API tokens"
        onClick={() => setOpen(true)}
      >
        <KeyIcon />
        <span className="narrow-hidden"> API tokens</span>
      </button>
      <Modal open={open} onClose={() => setOpen(false)} title="API tokens">
        <TokensPanel onDone={() => setOpen(false)} />
      </Modal>
    </>
  );
}

/** The tokens list and form; `onDone` (in the dialog) adds a Close button. */
export function TokensPanel({ onDone }: { onDone?: () => void }) {
  const client = useChat();
  const api = integrationsApi(client.http);
  const nameId = useId();
  const [tokens, setTokens] = useState<ApiTokenInfo[] | null>(null);
  const [name, setName] = useState("");
  const [created, setCreated] = useState<CreatedApiToken>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => {
    integrationsApi(client.http)
      .tokens()
      .then(setTokens)
      .catch((err: unknown) => setError(message(err)));
  }, [client]);
  useEffect(load, [load]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setCreated(await api.createToken(name.trim()));
      setName("");
      load();
    } catch (err) {
      setError(message(err));
    } finally {
      setBusy(false);
    }
  };
  const revoke = async (token: ApiTokenInfo) => {
    try {
      await api.revokeToken(token.id);
      if (created?.id === token.id) setCreated(undefined);
      load();
    } catch (err) {
      setError(message(err));
    }
  };

  return (
    <div className="integrations">
      <p className="hint">
        A token lets a script or bot use this account as <code>Authorization: Bearer …</code> (REST, socket.io, /ws). It
        survives logging out; revoke it here.
      </p>
      {created ? <SecretReveal label={`Token “${created.name}”`} value={created.token} /> : null}
      <form className="inline-form" onSubmit={(e) => void submit(e)}>
        <div className="field">
          <label htmlFor={nameId}>New token&apos;s name</label>
          <input id={nameId} value={name} onChange={(e) => setName(e.target.value)} maxLength={64} required />
        </div>
        <button type="submit" className="button" disabled={busy}>
          Create
        </button>
      </form>
      <Alert error={error} />
      <h3>Your tokens</h3>
      {tokens === null ? (
        <p className="hint">Loading…</p>
      ) : tokens.length === 0 ? (
        <p className="hint">No tokens yet.</p>
      ) : (
        <ul className="integration-list" aria-label="API tokens">
          {tokens.map((t) => (
            <li key={t.id} data-testid="api-token">
              <span className="integration-name">{t.name}</span>
              <span className="integration-meta">
                created {when(t.createdAt)} · last used {when(t.lastUsedAt)}
              </span>
              <button type="button" className="ghost danger" onClick={() => void revoke(t)}>
                Revoke<span className="sr-only"> {t.name}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {onDone ? (
        <div className="dialog-actions">
          <button type="button" className="ghost" onClick={onDone}>
            Close
          </button>
        </div>
      ) : null}
    </div>
  );
}
