"use client";
import { useRouter } from "next/navigation";
import { useEffect, useId, useState } from "react";
import { useChat } from "@/hooks/useChat";
import type { DirectoryEntry } from "@/lib/protocol";
import { roomHref } from "@/lib/web/routes";
import { Modal } from "./Modal";
import { Alert } from "./Alert";

/** "Browse rooms": every public room, joined or not, with a button to join or open it. */
export function BrowseRoomsButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="side-action" onClick={() => setOpen(true)}>
        Browse rooms
      </button>
      <Modal open={open} onClose={() => setOpen(false)} title="Public rooms">
        <RoomDirectory onDone={() => setOpen(false)} />
      </Modal>
    </>
  );
}

type Listing = { state: "loading" } | { state: "ready"; rooms: DirectoryEntry[] } | { state: "error"; detail: string };

function RoomDirectory({ onDone }: { onDone: () => void }) {
  const client = useChat();
  const router = useRouter();
  const filterId = useId();
  const [listing, setListing] = useState<Listing>({ state: "loading" });
  const [filter, setFilter] = useState("");
  const [joining, setJoining] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const abort = new AbortController();
    client.http.directory(abort.signal).then(
      (rooms) => setListing({ state: "ready", rooms }),
      (err: unknown) => {
        if (!abort.signal.aborted)
          setListing({ state: "error", detail: err instanceof Error ? err.message : "failed" });
      },
    );
    return () => abort.abort();
  }, [client]);

  const open = (name: string) => {
    onDone();
    router.push(roomHref(name));
  };

  const join = async (name: string) => {
    setJoining(name);
    setError(null);
    const ack = await client.joinRoom(name);
    setJoining(null);
    if (!ack.ok) setError(ack.error.detail);
    else open(ack.room.name);
  };

  const needle = filter.trim().toLowerCase();
  const rooms = listing.state === "ready" ? listing.rooms.filter((r) => r.name.toLowerCase().includes(needle)) : [];

  return (
    <div className="directory">
      <div className="field">
        <label htmlFor={filterId}>Find a room</label>
        <input
          id={filterId}
          type="search"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          autoComplete="off"
          autoFocus
        />
      </div>
      {listing.state === "loading" ? <p className="muted">Loading rooms…</p> : null}
      <Alert error={listing.state === "error" ? `Could not load the rooms: ${listing.detail}` : null} />
      {listing.state === "ready" && rooms.length === 0 ? (
        <p className="muted">{needle ? "No room matches." : "No public rooms yet: create one!"}</p>
      ) : null}
      {rooms.length > 0 ? (
        <ul className="directory-list" aria-label="Public rooms">
          {rooms.map((r) => (
            <li key={r.name}>
              <span className="label"># {r.name}</span>
              {r.joined ? (
                <button type="button" className="ghost" onClick={() => open(r.name)} aria-label={`Open # ${r.name}`}>
                  Open
                </button>
              ) : (
                <button
                  type="button"
                  className="button"
                  disabled={joining !== null}
                  onClick={() => void join(r.name)}
                  aria-label={`Join # ${r.name}`}
                >
                  {joining === r.name ? "Joining…" : "Join"}
                </button>
              )}
            </li>
          ))}
        </ul>
      ) : null}
      <Alert error={error} />
      <div className="dialog-actions">
        <button type="button" className="ghost" onClick={onDone}>
          Close
        </button>
      </div>
    </div>
  );
}
