"use client";
import { useEffect, useLayoutEffect, useState } from "react";
import { useChat, useChatState } from "@/hooks/useChat";
import { useCompletionSources } from "@/hooks/useCompletion";
import { useComposerMode } from "@/hooks/useComposerMode";
import { usePageVisible } from "@/hooks/usePageVisible";
import { usePeerExists } from "@/hooks/usePeerExists";
import { useUnreadMarker } from "@/hooks/useUnreadMarker";
import { useUploads } from "@/hooks/useUploads";
import type { Message } from "@/lib/protocol";
import type { OutboxItem, Timeline } from "@/lib/web/chat-state";
import { emptyTimeline, findRoom, heldMessages } from "@/lib/web/chat-state";
import { messageHref, targetKey, targetTitle, type ChatTarget } from "@/lib/web/routes";
import type { UnreadMarker } from "@/lib/web/message-groups";
import { lastId } from "@/lib/web/timeline";
import { Composer } from "./Composer";
import { DropZone } from "./DropZone";
import { MessageList } from "./MessageList";
import { RoomHeader } from "./RoomHeader";
import { NoSuchUser, RoomNotice } from "./RoomNotice";
import { TypingIndicator } from "./TypingIndicator";

const NO_TIMELINE = emptyTimeline();

/** One conversation: header, messages (with older pages on scroll-up), who is typing, the composer. */
export function RoomPane({ target }: { target: ChatTarget }) {
  const client = useChat();
  const key = targetKey(target, client.me);
  const room = useChatState((s) => findRoom(s, key));
  const timeline = useChatState((s) => s.timelines[key]) ?? NO_TIMELINE;
  const outbox = useChatState((s) => s.outbox);
  const error = useChatState((s) => s.error);
  const visible = usePageVisible();
  const { mode, setMode, editLast } = useComposerMode(key, heldMessages(timeline), client.me);
  const unread = useUnreadMarker(key, room);
  const peerExists = usePeerExists(target, room);
  const completions = useCompletionSources(key, room, client.me);
  const uploads = useUploads(key);

  useEffect(() => client.ensureLoaded(target), [client, target, timeline.status]);

  // read means seen: while on screen in a visible tab with the newest message in view, what arrives here is
  // read, not unread; scrolled up through history, it counts as unread (here and in the user's other tabs)
  const [atBottom, setAtBottom] = useState(true);
  // a layout effect, as MessageList's onAtBottom: the store hears it before any socket event can come in
  useLayoutEffect(() => {
    if (!visible || !atBottom) return;
    client.view(key);
    return () => client.view(null);
  }, [client, key, visible, atBottom]);

  const newest = Math.max(room?.lastMessageId ?? 0, lastId(timeline.messages) ?? 0);
  const readUpTo = room?.lastReadId ?? 0;
  const roomName = room?.name;
  useEffect(() => {
    if (visible && atBottom && roomName && newest > readUpTo) client.markRead(roomName, newest);
  }, [client, visible, atBottom, roomName, newest, readUpTo]);

  const blocked = timeline.status === "forbidden" || (timeline.status === "missing" && target.kind === "room");
  const title = targetTitle(target);

  return (
    <DropZone className="room-pane" label={title} onFiles={blocked ? undefined : uploads.add}>
      <RoomHeader target={target} room={room} />
      {!peerExists && target.kind === "dm" ? (
        <NoSuchUser peer={target.peer} />
      ) : blocked || timeline.status === "error" ? (
        <RoomNotice target={target} timeline={timeline} />
      ) : (
        <>
          <RoomMessages
            target={target}
            timeline={timeline}
            pending={outbox.filter((o) => o.room === key)}
            unread={unread}
            onAtBottom={setAtBottom}
            onReply={(message) => setMode({ kind: "reply", message })}
            onEdit={(message) => setMode({ kind: "edit", message })}
          />
          <TypingIndicator room={key} />
          {error ? (
            <div className="inline-error" role="alert">
              {error}{" "}
              <button type="button" className="link" onClick={client.dismissError}>
                Dismiss
              </button>
            </div>
          ) : null}
          <Composer
            key={key}
            draftKey={`${client.me}:${key}`}
            placeholder={`Message ${title}`}
            onSend={(content, replyTo, files) => client.send(target, content, replyTo, files)}
            uploads={uploads}
            onTyping={() => client.typing(target)}
            mode={mode}
            onCancelMode={() => setMode(null)}
            onEditLast={editLast}
            onSave={client.edit}
            completions={completions}
          />
        </>
      )}
    </DropZone>
  );
}

interface RoomMessagesProps {
  target: ChatTarget;
  timeline: Timeline;
  pending: OutboxItem[];
  unread: UnreadMarker | null;
  onAtBottom: (atBottom: boolean) => void;
  onReply: (message: Message) => void;
  onEdit: (message: Message) => void;
}

/** The conversation's timeline as a message list, wired to the chat client. */
function RoomMessages({ target, timeline, pending, ...handlers }: RoomMessagesProps) {
  const client = useChat();
  const title = targetTitle(target);
  const loaded = timeline.status === "ready" || timeline.status === "missing";
  return (
    <MessageList
      messages={timeline.messages}
      outgoing={pending}
      username={client.me}
      ready={timeline.status === "ready"}
      hasOlder={timeline.hasOlder}
      loadingOlder={timeline.loadingOlder}
      olderError={timeline.olderError}
      hasNewer={timeline.ahead !== null}
      loadingNewer={timeline.loadingNewer}
      newerError={timeline.newerError}
      beginning={loaded}
      emptyText={
        loaded
          ? target.kind === "dm"
            ? `This is the start of your conversation with @${target.peer}.`
            : "No messages yet. Say hello!"
          : "Loading messages…"
      }
      beginningText={
        target.kind === "dm"
          ? `This is the beginning of your conversation with @${target.peer}.`
          : `This is the beginning of ${title}.`
      }
      onLoadOlder={() => client.loadOlder(target)}
      onLoadNewer={() => client.loadNewer(target)}
      onShowLatest={() => client.showLatest(target)}
      onLoadAround={(id) => client.loadAround(target, id)}
      onRetry={client.retry}
      onDiscard={client.discard}
      linkOf={(id) => messageHref(target, id)}
      {...handlers}
    />
  );
}
