"use client";
import { useId, useRef, useState, type ReactNode } from "react";
import type { SecretListState } from "@/hooks/useSecretList";
import { Alert } from "./Alert";
import { ConfirmDialog, type Confirmation } from "./ConfirmDialog";

interface Props<Item extends { id: number; name: string }> {
  state: SecretListState<Item>;
  /** "webhook", "token": in "New webhook's name" */
  noun: string;
  /** the list's heading and accessible name */
  heading: string;
  label: string;
  empty: string;
  testId: string;
  /** the line under an item's name (who made it, when it was last used) */
  meta: (item: Item) => ReactNode;
  /** what revoking stops, asked before it does: "Whatever posts to its URL is refused from now on." */
  revokeEffect: string;
}

/** When a secret was last used (or made), in the reader's locale. */
export const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : "never");

/**
 * The form that names a new secret, the last refusal, and the list with a Revoke button on each: revoking
 * cannot be undone and breaks whatever uses the secret, so it is asked first, as deleting a message is.
 */
export function SecretList<Item extends { id: number; name: string }>(props: Props<Item>) {
  const { state, noun, heading, label, empty, testId, meta, revokeEffect } = props;
  const nameId = useId();
  const nameInput = useRef<HTMLInputElement>(null);
  const [confirmation, setConfirmation] = useState<Confirmation | null>(null);
  // the question closed: focus goes back to its Revoke button, or, that one revoked and gone, to the name field
  // (not lost to the page under the dialog)
  const questionClosed = () => {
    setConfirmation(null);
    requestAnimationFrame(() => {
      const at = document.activeElement;
      if (!at || at === document.body || !at.isConnected) nameInput.current?.focus();
    });
  };
  const askRevoke = (item: Item) =>
    setConfirmation({
      title: `Revoke the ${noun} “${item.name}”?`,
      text: `${revokeEffect} This cannot be undone.`,
      action: "Revoke",
      run: () => state.revoke(item),
    });
  return (
    <>
      <form className="inline-form" onSubmit={(e) => void state.submit(e)}>
        <div className="field">
          <label htmlFor={nameId}>New {noun}&apos;s name</label>
          <input
            ref={nameInput}
            id={nameId}
            value={state.name}
            onChange={(e) => state.setName(e.target.value)}
            maxLength={64}
            required
          />
        </div>
        <button type="submit" className="button" disabled={state.busy}>
          Create
        </button>
      </form>
      <Alert error={state.error} />
      <h3>{heading}</h3>
      {state.items === null ? (
        <p className="hint">Loading…</p>
      ) : state.items.length === 0 ? (
        <p className="hint">{empty}</p>
      ) : (
        <ul className="integration-list" aria-label={label}>
          {state.items.map((item) => (
            <li key={item.id} data-testid={testId}>
              <span className="integration-name">{item.name}</span>
              <span className="integration-meta">{meta(item)}</span>
              <button type="button" className="ghost danger" onClick={() => askRevoke(item)}>
                Revoke<span className="sr-only"> {item.name}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <ConfirmDialog confirmation={confirmation} onClose={questionClosed} />
    </>
  );
}
