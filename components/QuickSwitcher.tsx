"use client";
import { useRouter } from "next/navigation";
import { useId, useState, type KeyboardEvent } from "react";
import { useChat, useChatState } from "@/hooks/useChat";
import { filterItems, switcherItems, type SwitcherItem } from "@/lib/web/switcher";
import { Modal } from "./Modal";
import { PresenceDot } from "./PresenceDot";
import { UnreadBadge } from "./UnreadBadge";
import styles from "./shortcuts.module.css";

/**
 * Ctrl/Cmd+K: a filter box over rooms, DMs and people (a combobox and its listbox). ↑/↓ choose, Enter or a
 * click goes there, Escape closes and gives focus back to where it was (Modal).
 */
export function QuickSwitcher({ open, onClose }: { open: boolean; onClose: () => void }) {
  return (
    <Modal open={open} onClose={onClose} title="Jump to a conversation">
      <SwitcherBody onDone={onClose} />
    </Modal>
  );
}

function SwitcherBody({ onDone }: { onDone: () => void }) {
  const { me } = useChat();
  const rooms = useChatState((s) => s.rooms);
  const users = useChatState((s) => s.users);
  const router = useRouter();
  const listId = useId();
  const [query, setQuery] = useState("");
  const [active, setActive] = useState(0);
  const found = filterItems(switcherItems(rooms, users, me), query);
  const current = found[Math.min(active, found.length - 1)];
  const optionId = (item: SwitcherItem) => `${listId}-${item.id}`;

  const choose = (item: SwitcherItem | undefined) => {
    if (!item) return;
    onDone();
    router.push(item.href);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.nativeEvent.isComposing) return;
    const n = found.length;
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      if (n > 0) setActive((i) => (Math.min(i, n - 1) + (e.key === "ArrowDown" ? 1 : n - 1)) % n);
    } else if (e.key === "Enter") {
      e.preventDefault();
      choose(current);
    }
  };

  return (
    <div className={styles.switcher}>
      <input
        className={styles.filter}
        role="combobox"
        aria-label="Find a room, direct message or person"
        aria-expanded="true"
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={current ? optionId(current) : undefined}
        placeholder="Type a name…"
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
        autoFocus
        autoComplete="off"
        spellCheck={false}
      />
      <ul id={listId} role="listbox" aria-label="Conversations" className={styles.options}>
        {found.map((item) => (
          <li
            key={item.id}
            id={optionId(item)}
            role="option"
            aria-selected={item === current}
            className={styles.option}
            onClick={() => choose(item)}
            onMouseMove={() => setActive(found.indexOf(item))}
          >
            <ItemLabel item={item} />
          </li>
        ))}
      </ul>
      {found.length === 0 ? <p className={styles.none}>Nobody and nothing by that name.</p> : null}
    </div>
  );
}

const KIND_LABEL = { room: "room", private: "private room", dm: "direct message", person: "person" } as const;

function ItemLabel({ item }: { item: SwitcherItem }) {
  return (
    <>
      {item.kind === "room" ? (
        <span className="glyph" aria-hidden="true">
          #
        </span>
      ) : (
        <PresenceDot online={item.online} />
      )}
      <span className={styles.name}>{item.name}</span>
      <span className={styles.kind}>{KIND_LABEL[item.private ? "private" : item.kind]}</span>
      <UnreadBadge count={item.unread} />
    </>
  );
}
