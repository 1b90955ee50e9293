"use client";
import { useCallback, useEffect, useState, type FormEvent } from "react";

/** The REST calls behind a list of named secrets (a room's webhooks, the user's API tokens). */
export interface SecretListApi<Item extends { id: number }, Created extends { id: number }> {
  list(): Promise<Item[]>;
  create(name: string): Promise<Created>;
  revoke(id: number): Promise<void>;
}

/** What the list and its form show and do (SecretList renders it). */
export interface SecretListState<Item> {
  /** null while loading */
  items: Item[] | null;
  name: string;
  setName(name: string): void;
  error: string | null;
  busy: boolean;
  submit(e: FormEvent): Promise<void>;
  revoke(item: Item): Promise<void>;
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * Create, list and revoke named secrets: the list (null while it loads), the new one's name, the one just made
 * (its secret is shown once, until it is revoked), the last refusal. `api` must be stable (useMemo): a new one
 * loads the list again.
 */
export function useSecretList<Item extends { id: number }, Created extends { id: number }>(
  api: SecretListApi<Item, Created>,
): SecretListState<Item> & { created: Created | undefined } {
  const [items, setItems] = useState<Item[] | null>(null);
  const [name, setName] = useState("");
  const [created, setCreated] = useState<Created>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => {
    api
      .list()
      .then(setItems)
      .catch((err: unknown) => setError(message(err)));
  }, [api]);
  useEffect(load, [load]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setCreated(await api.create(name.trim()));
      setName("");
      load();
    } catch (err) {
      setError(message(err));
    } finally {
      setBusy(false);
    }
  };

  const revoke = async (item: Item) => {
    try {
      await api.revoke(item.id);
      if (created?.id === item.id) setCreated(undefined);
      load();
    } catch (err) {
      setError(message(err));
    }
  };

  return { items, name, setName, created, error, busy, submit, revoke };
}
