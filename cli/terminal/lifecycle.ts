// How the chat screen ends: /quit, Ctrl-C and Ctrl-D (after unsent messages, unless asked twice), /logout,
// or a token the server no longer accepts. Each stops the timers, the session and the input line once.
import { logout } from "../api";
import { reasonOf, type TerminalChat } from "./context";

export type ChatOutcome = { kind: "quit" } | { kind: "logout" } | { kind: "unauthorized" };

export class Lifecycle {
  private done = false;
  private quitting = false;

  constructor(
    private readonly chat: TerminalChat,
    private readonly resolve: (outcome: ChatOutcome) => void,
  ) {}

  get finished(): boolean {
    return this.done;
  }

  finish(outcome: ChatOutcome): void {
    if (this.done) return;
    this.stop();
    this.resolve(outcome);
  }

  quit(): void {
    if (this.quitting) return this.finish({ kind: "quit" }); // second Ctrl-C / Ctrl-D: now
    this.quitting = true;
    const pending = this.chat.session.pendingCount;
    if (pending === 0) return this.finish({ kind: "quit" });
    this.chat.screen.warn(`Waiting for ${pending} unsent message(s)… press Ctrl-C again to quit now.`);
    this.chat.session.settle().then(
      () => this.finish({ kind: "quit" }),
      () => this.finish({ kind: "quit" }),
    );
  }

  /** /logout: revoke the token on the server and forget it here, whatever the server says. */
  logout(): void {
    const { serverUrl, login, store, screen } = this.chat;
    this.stop();
    // the input line is gone: these print plainly
    logout(serverUrl, login.token)
      .then(
        () => screen.print("Logged out."),
        (err: unknown) => {
          screen.print(`Could not tell the server (${reasonOf(err)}); the token was forgotten here anyway.`);
        },
      )
      .then(() => store.delete(serverUrl))
      .catch(() => undefined)
      .finally(() => this.resolve({ kind: "logout" }));
  }

  /** The server refused the token: forget it, and go back to logging in. */
  unauthorized(): void {
    const { serverUrl, login, store, screen } = this.chat;
    screen.warn("! Your session has expired or was revoked. Please log in again.");
    store
      .delete(serverUrl, login.token)
      .catch(() => undefined)
      .finally(() => this.finish({ kind: "unauthorized" }));
  }

  private stop(): void {
    this.done = true;
    this.chat.timers.cancelAll();
    this.chat.session.close();
    this.chat.input.close();
  }
}
