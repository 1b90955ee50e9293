/** A green (online) or hollow (offline) dot, with the words for screen readers. */
export function PresenceDot({ online }: { online: boolean | undefined }) {
  const label = online ? "online" : "offline";
  return (
    <span className="presence" data-online={online ? "true" : "false"} title={label}>
      <span className="sr-only">({label})</span>
    </span>
  );
}
