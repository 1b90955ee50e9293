"use client";
import Link from "next/link";
import { useState } from "react";
import { useIsAdmin } from "@/hooks/useIsAdmin";
import type { Theme } from "@/lib/web/theme";
import { NotificationSettings } from "../NotificationSettings";
import { TokensPanel } from "../TokensDialog";
import { PasswordSettings } from "./PasswordSettings";
import { ProfileSettings } from "./ProfileSettings";
import { SessionsSettings } from "./SessionsSettings";
import { ThemeSettings } from "./ThemeSettings";

/** /settings, in the chat's shell (its socket stays up): profile, password, sessions, notifications, API tokens, theme. */
export function SettingsPane({ theme }: { theme: Theme }) {
  // a password change signs other sessions out: the list is read again
  const [passwordChanges, setPasswordChanges] = useState(0);
  const admin = useIsAdmin();
  return (
    <main className="settings-pane" aria-labelledby="settings-title">
      <div className="settings-column">
        <h1 id="settings-title">Settings</h1>
        <ProfileSettings />
        <PasswordSettings onChanged={() => setPasswordChanges((n) => n + 1)} />
        <SessionsSettings key={passwordChanges} />
        <SettingsSection id="notifications" title="Notifications">
          <NotificationSettings />
        </SettingsSection>
        <SettingsSection id="tokens" title="API tokens">
          <TokensPanel />
        </SettingsSection>
        <ThemeSettings initial={theme} />
        {admin ? (
          // the way there on a phone, whose top bar has no room for the Admin link
          <SettingsSection id="admin" title="Administration">
            <Link href="/admin">Open the admin page</Link> (registration, invites, people, audit log)
          </SettingsSection>
        ) : null}
      </div>
    </main>
  );
}

/** One titled section of the settings page. */
export function SettingsSection({ id, title, children }: { id: string; title: string; children: React.ReactNode }) {
  return (
    <section className="settings-section" aria-labelledby={`${id}-title`} data-testid={`settings-${id}`}>
      <h2 id={`${id}-title`}>{title}</h2>
      {children}
    </section>
  );
}

/** An error's text for a person (ApiError and NetworkError carry the server's or the network's reason). */
export const reasonOf = (err: unknown): string => (err instanceof Error ? err.message : "something went wrong");
