"use client";
import { usePathname, useRouter } from "next/navigation";
import { useCallback, useEffect, useState, type ReactNode } from "react";
import { ChatContext, useChatConnection } from "@/hooks/useChat";
import { useDensity } from "@/hooks/useDensity";
import { useNotifier } from "@/hooks/useNotifier";
import { AdminContext } from "@/hooks/useIsAdmin";
import { ProfileCardContext } from "@/hooks/useProfile";
import { useShortcuts } from "@/hooks/useShortcuts";
import { useTabAttention } from "@/hooks/useTabAttention";
import { ProfileCard } from "./ProfileCard";
import { QuickSwitcher } from "./QuickSwitcher";
import { ShortcutSheet } from "./ShortcutSheet";
import { Sidebar } from "./Sidebar";
import { TopBar } from "./TopBar";

/**
 * The chat around every room: top bar, sidebar and the page's room. Mounted once by the chat layout, so
 * its socket survives room switches. On a phone the sidebar is a drawer behind the menu button.
 */
export function ChatShell({ username, admin, children }: { username: string; admin: boolean; children: ReactNode }) {
  const router = useRouter();
  // the session ended under the reader (expired, revoked): back to where they were once logged in again
  const toLogin = useCallback(() => {
    const { pathname, search, hash } = window.location;
    const here = `${pathname}${search}`;
    router.replace(here === "/" ? "/login" : `/login?next=${encodeURIComponent(here)}${hash}`);
  }, [router]);
  const client = useChatConnection(username, toLogin);
  const [density, setDensity] = useDensity();
  useNotifier(client);

  // the drawer belongs to the page it was opened on: navigating closes it
  const pathname = usePathname();
  const [drawerOpenOn, setDrawerOpenOn] = useState<string | null>(null);
  const drawerOpen = drawerOpenOn === pathname;
  const closeDrawer = useCallback(() => setDrawerOpenOn(null), []);
  const [profileOf, setProfileOf] = useState<string | null>(null);
  const closeProfile = useCallback(() => setProfileOf(null), []);

  useEffect(() => {
    if (!drawerOpen) return;
    const onKey = (e: KeyboardEvent) => {
      // Escape in a dialog opened from the drawer closes only the dialog
      if (e.key === "Escape" && !document.querySelector("dialog[open]")) closeDrawer();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [drawerOpen, closeDrawer]);

  return (
    <ChatContext value={client}>
      <AdminContext value={admin}>
        <ProfileCardContext value={setProfileOf}>
          <Shortcuts drawerOpen={drawerOpen} />
          <TabAttention />
          <div className="app" data-density={density}>
            <TopBar
              username={username}
              admin={admin}
              density={density}
              onDensity={setDensity}
              drawerOpen={drawerOpen}
              onToggleDrawer={() => setDrawerOpenOn(drawerOpen ? null : pathname)}
            />
            <div className="workspace" data-drawer={drawerOpen ? "open" : "closed"}>
              <Sidebar id="sidebar" />
              {drawerOpen ? <div className="backdrop" aria-hidden="true" onClick={closeDrawer} /> : null}
              {children}
            </div>
          </div>
          <ProfileCard username={profileOf} onClose={closeProfile} />
        </ProfileCardContext>
      </AdminContext>
    </ChatContext>
  );
}

/** The keyboard shortcuts (hooks/useShortcuts.ts) and the two dialogs they open. */
function Shortcuts({ drawerOpen }: { drawerOpen: boolean }) {
  const [open, setOpen] = useState<"switcher" | "sheet" | null>(null);
  const close = useCallback(() => setOpen(null), []);
  useShortcuts({ openSwitcher: () => setOpen("switcher"), openSheet: () => setOpen("sheet"), drawerOpen });
  return (
    <>
      <QuickSwitcher open={open === "switcher"} onClose={close} />
      <ShortcutSheet open={open === "sheet"} onClose={close} />
    </>
  );
}

/** The tab's "(N) " title and favicon badge; a component, as it reads the chat state from the context. */
function TabAttention() {
  useTabAttention();
  return null;
}
