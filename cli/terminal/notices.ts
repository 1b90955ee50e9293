// "* 2 new in #ops": messages in rooms not on screen are only counted, with a one-line notice when a room
// goes from nothing unread to something. A burst is gathered for a moment so that it gives one line.
import { formatNewNotice, roomKey, sameRoom } from "../rooms";
import type { TerminalChat } from "./context";

const NOTICE_DELAY_MS = 700;

export class NewMessageNotices {
  private readonly rooms = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly chat: TerminalChat) {}

  queue(room: string): void {
    this.rooms.add(roomKey(room));
    this.timer ??= this.chat.timers.later(NOTICE_DELAY_MS, () => this.flush());
  }

  private flush(): void {
    this.timer = undefined;
    const { book, conversation, screen } = this.chat;
    for (const key of this.rooms) {
      const entry = book.get(key);
      if (entry && entry.unread > 0 && !sameRoom(entry.name, conversation.view.name))
        screen.info(formatNewNotice(entry));
    }
    this.rooms.clear();
  }
}
