import type { Metadata } from "next";
import Link from "next/link";

export const metadata: Metadata = { title: "Page not found · Chatterbox" };

/** Any URL the app does not have: said plainly, in the app's own look, with the way back. */
export default function NotFound() {
  return (
    <main className="auth">
      <div className="auth-card not-found">
        <p className="brand">Chatterbox</p>
        <h1>Page not found</h1>
        <p className="lead">There is nothing at this address. It may have moved, or the link may be mistyped.</p>
        <Link href="/" className="primary">
          Back to the chat
        </Link>
      </div>
    </main>
  );
}
