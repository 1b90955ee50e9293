"use client";
import { useRouter } from "next/navigation";
import { useCallback, useState } from "react";
import { useChat } from "@/hooks/useChat";
import { Composer } from "./Composer";
import { ConnectionStatus } from "./ConnectionStatus";
import { MessageList } from "./MessageList";

export function Chat({ username }: { username: string }) {
  const router = useRouter();
  const toLogin = useCallback(() => router.replace("/login"), [router]);
  const chat = useChat(toLogin);

  const [logoutError, setLogoutError] = useState<string | null>(null);
  const logout = async () => {
    setLogoutError(null);
    try {
      const res = await fetch("/logout", { method: "POST", credentials: "same-origin" });
      // 401: the session had already ended, which is what the user wanted
      if (!res.ok && res.status !== 401) {
        const body = (await res.json().catch(() => ({}))) as { detail?: string };
        setLogoutError(`Could not log out: ${body.detail ?? `error ${res.status}`}`);
        return;
      }
      toLogin();
    } catch {
      setLogoutError("Could not log out: the server is unreachable");
    }
  };

  return (
    <main className="chat">
      <header className="chat-header">
        <h1>
          Chatterbox <span className="room"># general</span>
        </h1>
        <span className="spacer" />
        <ConnectionStatus state={chat.connection} />
        <span className="who" data-testid="whoami">
          {username}
        </span>
        <button type="button" className="ghost" onClick={() => void logout()}>
          Log out
        </button>
      </header>
      <MessageList
        messages={chat.messages}
        outgoing={chat.outgoing}
        username={username}
        onRetry={chat.retry}
        onDiscard={chat.discard}
      />
      <div>
        {logoutError ? (
          <div className="inline-error" role="alert">
            {logoutError}
          </div>
        ) : null}
        {chat.error ? (
          <div className="inline-error" role="alert">
            {chat.error}{" "}
            <button type="button" className="link" onClick={chat.dismissError}>
              Dismiss
            </button>
          </div>
        ) : null}
        <Composer onSend={chat.send} />
      </div>
    </main>
  );
}
