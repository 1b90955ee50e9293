"use client";
import { useMemo, useState } from "react";
import { useChat } from "@/hooks/useChat";
import { useSecretList } from "@/hooks/useSecretList";
import { integrationsApi } from "@/lib/client/integrations";
import type { ApiTokenInfo } from "@/lib/protocol";
import { KeyIcon } from "./icons";
import { Modal } from "./Modal";
import { SecretList, when } from "./SecretList";
import { SecretReveal } from "./SecretReveal";

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
  const api = useMemo(() => {
    const calls = integrationsApi(client.http);
    return { list: calls.tokens, create: calls.createToken, revoke: calls.revokeToken };
  }, [client]);
  const state = useSecretList(api);
  const { created } = state;

  return (
    <div className="integrations">
      <p className="hint">
        A token lets a script or bot use this account as <code>Authorization: Bearer …</code> (REST, socket.io, /ws). It
        survives logging out; revoke it here.
      </p>
      {created ? <SecretReveal label={`Token “${created.name}”`} value={created.token} /> : null}
      <SecretList
        state={state}
        noun="token"
        heading="Your tokens"
        label="API tokens"
        empty="No tokens yet."
        testId="api-token"
        revokeEffect="Scripts and bots using it are refused from now on, and its open connections are closed."
        meta={(t: ApiTokenInfo) => `created ${when(t.createdAt)} · last used ${when(t.lastUsedAt)}`}
      />
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
