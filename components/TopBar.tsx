"use client";
import Link from "next/link";
import { useChatState } from "@/hooks/useChat";
import { useUser } from "@/hooks/useProfile";
import type { Density } from "@/hooks/useDensity";
import { ConnectionStatus } from "./ConnectionStatus";
import { DensityToggle } from "./DensityToggle";
import { SettingsIcon } from "./icons";
import { LogoutButton } from "./LogoutButton";
import { NotificationsButton } from "./NotificationsButton";
import { SearchBox } from "./SearchBox";
import { TokensButton } from "./TokensDialog";

interface Props {
  username: string;
  /** shows the link to /admin */
  admin: boolean;
  drawerOpen: boolean;
  onToggleDrawer: () => void;
  density: Density;
  onDensity: (next: Density) => void;
}

/** The app's bar: the menu button (phones), the name, the connection, who is signed in, log out. */
export function TopBar({ username, admin, drawerOpen, onToggleDrawer, density, onDensity }: Props) {
  const connection = useChatState((s) => s.connection);
  const unread = useChatState((s) => s.rooms.reduce((n, r) => n + r.unread, 0));
  const displayName = useUser(username)?.displayName;
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
      <NotificationsButton />
      <DensityToggle density={density} onChange={onDensity} />
      {admin ? (
        <Link href="/admin" className="ghost topbar-link">
          Admin
        </Link>
      ) : null}
      <span className="who" data-testid="whoami" title={displayName ? `${displayName} (${username})` : undefined}>
        {username}
      </span>
      <Link className="ghost icon-toggle settings-link" href="/settings" data-testid="settings-link" title="Settings">
        <SettingsIcon />
        <span className="sr-only">Settings</span>
      </Link>
      <TokensButton />
      <LogoutButton />
    </header>
  );
}
