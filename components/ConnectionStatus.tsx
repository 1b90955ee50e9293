import type { ConnectionState } from "@/hooks/useChat";

const LABELS: Record<ConnectionState, string> = {
  connecting: "Connecting…",
  live: "Live",
  reconnecting: "Reconnecting…",
  offline: "Offline",
};

export function ConnectionStatus({ state }: { state: ConnectionState }) {
  return (
    <span className="status" data-state={state} data-testid="connection-state" role="status">
      <span className="dot" aria-hidden="true" />
      {LABELS[state]}
    </span>
  );
}
