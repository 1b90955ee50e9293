"use client";
import { useEffect, useState } from "react";

/** The time, refreshed every minute: enough for "Today" to become "Yesterday" at midnight. */
export function useNow(intervalMs = 60_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
