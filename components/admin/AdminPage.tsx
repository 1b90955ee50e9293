"use client";
import Link from "next/link";
import { useCallback, useState } from "react";
import { AuditSection } from "./AuditSection";
import { InvitesSection } from "./InvitesSection";
import { RegistrationSection } from "./RegistrationSection";
import { UsersSection } from "./UsersSection";

/**
 * /admin: registration, invites, people and the audit log, one section each. Every change bumps `version`, so
 * the sections that show its effects (the audit log, the invites) read again.
 */
export function AdminPage({ username }: { username: string }) {
  const [version, setVersion] = useState(0);
  const changed = useCallback(() => setVersion((v) => v + 1), []);
  return (
    <div className="admin-page">
      <header className="admin-bar">
        <span className="brand">Chatterbox</span>
        <span className="admin-bar-title">Administration</span>
        <span className="spacer" />
        <span className="who">{username}</span>
        <Link href="/" className="ghost">
          Back to the chat
        </Link>
      </header>
      <main className="admin-main">
        <h1 className="sr-only">Administration</h1>
        <RegistrationSection onChanged={changed} />
        <InvitesSection version={version} onChanged={changed} />
        <UsersSection me={username} onChanged={changed} />
        <AuditSection version={version} />
      </main>
    </div>
  );
}
