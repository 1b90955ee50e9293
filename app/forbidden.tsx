import type { Metadata } from "next";
import Link from "next/link";

export const metadata: Metadata = { title: "Not allowed · Chatterbox" };

/** A page the signed-in user may not see (403): said plainly, with the way back. */
export default function Forbidden() {
  return (
    <main className="auth">
      <div className="auth-card not-found">
        <p className="brand">Chatterbox</p>
        <h1>Admins only</h1>
        <p className="lead">
          This page is for the server&apos;s administrators, and your account is not one. Ask an admin if you need
          something changed.
        </p>
        <Link href="/" className="primary">
          Back to the chat
        </Link>
      </div>
    </main>
  );
}
