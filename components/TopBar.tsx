"use client";
import { useChatState } from "@/hooks/useChat";
import type { Density } from "@/hooks/useDensity";
import { ConnectionStatus } from "./ConnectionStatus";
import { DensityToggle } from "./DensityToggle";
import { LogoutButton } from "./LogoutButton";
import { SearchBox } from "./SearchBox";
import { TokensButton } from "./TokensDialog";

interface Props {
  username: string;
  drawerOpen: boolean;
  onToggleDrawer: () => void;
  density: Density;
  onDensity: (next: Density) => void;
}

/** The app's bar: the menu button (phones), the name, the connection, who is signed in, log out. */
export function TopBar({ username, drawerOpen, onToggleDrawer, density, onDensity }: Props) {
  const connection = useChatState((s) => s.connection);
  const unread = useChatState((s) => s.rooms.reduce((n, r) => n + r.unread, 0));
  return (
    <header className="topbar">
      <button
        type="button"
        className="menu-button"
        aria-controls="sidebar"
        aria-expanded={drawerOpen}
        onClick={onToggleDrawer}
      >
        <span aria-hidden="true">☰</span>
        <span className="sr-only">Rooms and people</span>
        {unread > 0 && !drawerOpen ? <span className="menu-dot" aria-hidden="true" /> : null}
      </button>
      <span className="brand">Chatterbox</span>
      <span className="spacer" />
      <SearchBox />
      <ConnectionStatus state={connection} />
      <DensityToggle density={density} onChange={onDensity} />
      <span className="who" data-testid="whoami">
        {username}
      </span>
      <TokensButton />
      <LogoutButton />
    </header>
  );
}
