"use client";
import { useCallback, useState } from "react";
import type { Ack } from "@/lib/protocol";

/** Runs acked actions one at a time, keeping the last refusal's detail to show (with Alert). */
export function useAckAction() {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = useCallback(async (action: () => Promise<Ack<object>>): Promise<boolean> => {
    setBusy(true);
    setError(null);
    const ack = await action();
    setBusy(false);
    if (!ack.ok) setError(ack.error.detail);
    return ack.ok;
  }, []);
  const clear = useCallback(() => setError(null), []);
  return { run, error, setError, busy, clear };
}
