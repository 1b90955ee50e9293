"use client";
import { useMemo, useState } from "react";
import { useChat } from "@/hooks/useChat";
import { useSecretList } from "@/hooks/useSecretList";
import { integrationsApi } from "@/lib/client/integrations";
import type { Hook } from "@/lib/protocol";
import { roomKey } from "@/lib/web/routes";
import { HookIcon } from "./icons";
import { Modal } from "./Modal";
import { SecretList, when } from "./SecretList";
import { SecretReveal } from "./SecretReveal";

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
  const api = useMemo(() => {
    const calls = integrationsApi(client.http);
    return {
      list: async () => (await calls.hooks()).filter((h) => roomKey(h.room) === roomKey(room)),
      create: (name: string) => calls.createHook(room, name),
      revoke: calls.revokeHook,
    };
  }, [client, room]);
  const state = useSecretList(api);
  const { created } = state;

  return (
    <div className="integrations">
      <p className="hint">
        Other services (Grafana, Uptime Kuma, CI, scripts) post to a webhook&apos;s URL the way they post to Slack or
        Mattermost. Their messages are marked as a bot.
      </p>
      {created ? <SecretReveal label={`URL of “${created.name}”`} value={created.url} /> : null}
      <SecretList
        state={state}
        noun="webhook"
        heading="In this room"
        label="Webhooks"
        empty="No webhooks yet."
        testId="hook"
        revokeEffect="Whatever posts to its URL is refused from now on."
        meta={(h: Hook) => `by ${h.createdBy} · last used ${when(h.lastUsedAt)}`}
      />
      <div className="dialog-actions">
        <button type="button" className="ghost" onClick={onDone}>
          Close
        </button>
      </div>
    </div>
  );
}
