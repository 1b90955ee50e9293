// The terminal client's connection: the shared client core (lib/client) over a token transport (socket.io
// over WebSocket, REST with the token as Bearer). Everything about delivery (cursor, hold-back, outbox,
// catch-up, pages) is the core's.
import { ChatCore, type ChatCoreHandlers, type ChatCoreOptions } from "../lib/client/chat-core";
import { tokenTransport } from "../lib/client/transport";
import type { MessageAddress } from "../lib/protocol";
import { sanitizeInline } from "./sanitize";

export type { ChatSocket, ConnectionState, PendingSend } from "../lib/client/chat-core";
export { RequestError, SendRejectedError, SessionClosedError } from "../lib/client/errors";
export type { ReadMarker } from "../lib/protocol";

/** Where a message goes: a room (by name, default general) or a user (a direct message). */
export type SendTarget = MessageAddress;
export type ChatSessionHandlers = ChatCoreHandlers;

export interface ChatSessionOptions extends Pick<ChatCoreOptions, "ackTimeoutMs" | "echoGraceMs" | "beforeReady"> {
  serverUrl: string;
  token: string;
  handlers: ChatSessionHandlers;
}

export class ChatSession extends ChatCore {
  constructor(options: ChatSessionOptions) {
    const { handlers } = options;
    super({
      ...options,
      ...tokenTransport(options.serverUrl, options.token, { cleanDetail: sanitizeInline }),
      handlers: {
        ...handlers,
        // the terminal prints what is new; an empty first page has nothing to print
        messages: (batch, info) => {
          if (batch.length > 0) handlers.messages(batch, info);
        },
      },
    });
  }
}
