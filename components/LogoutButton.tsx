"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { clearDrafts } from "@/lib/web/drafts";
import { LogoutIcon } from "./icons";

export function LogoutButton() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);

  const logout = async () => {
    setError(null);
    try {
      const res = await fetch("/logout", { method: "POST", credentials: "same-origin" });
      // 401: the session had already ended, which is what the user wanted
      if (!res.ok && res.status !== 401) {
        const body = (await res.json().catch(() => ({}))) as { detail?: string };
        setError(`Could not log out: ${body.detail ?? `error ${res.status}`}`);
        return;
      }
      clearDrafts();
      router.replace("/login");
    } catch {
      setError("Could not log out: the server is unreachable");
    }
  };

  return (
    <>
      <button type="button" className="ghost icon-text" aria-label="Log out" onClick={() => void logout()}>
        <span className="narrow-only">
          <LogoutIcon />
        </span>
        <span className="narrow-hidden">Log out</span>
      </button>
      {error ? (
        <div className="toast" role="alert">
          {error}{" "}
          <button type="button" className="link" onClick={() => setError(null)}>
            Dismiss
          </button>
        </div>
      ) : null}
    </>
  );
}
