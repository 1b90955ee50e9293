import type { ConnectionState } from "@/hooks/useChat";

const LABELS: Record<ConnectionState, string> = {
  connecting: "Connecting…",
  live: "Live",
  reconnecting: "Reconnecting…",
  offline: "Offline",
};

/** the longest label: its width is kept for every state, so the search box beside it never moves */
const WIDEST = Object.values(LABELS).reduce((a, b) => (b.length > a.length ? b : a));

export function ConnectionStatus({ state }: { state: ConnectionState }) {
  return (
    <span className="status" data-state={state} data-testid="connection-state" role="status">
      <span className="dot" aria-hidden="true" />
      <span className="status-label" data-widest={WIDEST}>
        <span>{LABELS[state]}</span>
      </span>
    </span>
  );
}
