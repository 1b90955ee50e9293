"use client";
import { useRouter } from "next/navigation";
import { useCallback } from "react";
import { useChat } from "@/hooks/useChat";
import { Composer } from "./Composer";
import { ConnectionStatus } from "./ConnectionStatus";
import { MessageList } from "./MessageList";

export function Chat({ username }: { username: string }) {
  const router = useRouter();
  const toLogin = useCallback(() => router.replace("/login"), [router]);
  const chat = useChat(toLogin);

  const logout = async () => {
    await fetch("/logout", { method: "POST", credentials: "same-origin" }).catch(() => undefined);
    toLogin();
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
