"use client";
// Where the notification settings open: the top bar's bell (the whole panel, in a dialog) and a room's header
// (that conversation's own level: default, all, mentions only, muted).
import { useId, useState } from "react";
import { useNotificationSettings } from "@/hooks/useNotificationSettings";
import type { RoomSummary } from "@/lib/protocol";
import { roomOverride, withRoomLevel } from "@/lib/web/notify";
import { Alert } from "./Alert";
import { BellIcon, BellOffIcon } from "./icons";
import { Modal } from "./Modal";
import { NotificationSettings, roomChoices } from "./NotificationSettings";
import styles from "./notifications.module.css";

export function NotificationsButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="ghost icon-toggle" title="Notification settings" onClick={() => setOpen(true)}>
        <BellIcon />
        <span className="sr-only">Notification settings</span>
      </button>
      <Modal open={open} onClose={() => setOpen(false)} title="Notifications">
        <NotificationSettings />
        <div className="dialog-actions">
          <button type="button" className="ghost" onClick={() => setOpen(false)}>
            Done
          </button>
        </div>
      </Modal>
    </>
  );
}

/** A conversation's bell: crossed out while muted; opens its own level. */
export function RoomNotificationsButton({ room }: { room: RoomSummary }) {
  const [open, setOpen] = useState(false);
  const { settings } = useNotificationSettings();
  const title = room.peer ? `@${room.peer}` : `# ${room.name}`;
  const muted = settings !== null && roomOverride(settings, room.name) === "none";
  return (
    <>
      <button
        type="button"
        className="ghost icon-toggle"
        title={muted ? "Notifications: muted" : "Notifications"}
        data-muted={muted}
        onClick={() => setOpen(true)}
      >
        {muted ? <BellOffIcon /> : <BellIcon />}
        <span className="sr-only">{`Notifications for ${title}${muted ? " (muted)" : ""}`}</span>
      </button>
      <Modal open={open} onClose={() => setOpen(false)} title={`Notifications for ${title}`}>
        <RoomNotificationSettings room={room} onDone={() => setOpen(false)} />
      </Modal>
    </>
  );
}

/** One conversation's own level, as radio buttons; saved at once. */
export function RoomNotificationSettings({ room, onDone }: { room: RoomSummary; onDone?: () => void }) {
  const { settings, error, save } = useNotificationSettings();
  const name = useId();
  if (!settings) return <Alert error={error} />;
  const dm = room.kind === "dm";
  const own = roomOverride(settings, room.name);
  const current = dm && own === "mentions" ? "all" : (own ?? "default");
  return (
    <>
      <fieldset className={styles.group}>
        <legend className="sr-only">Notify me about</legend>
        {roomChoices(settings, dm).map(([value, text]) => (
          <label key={value} className="check">
            <input
              type="radio"
              name={name}
              value={value}
              checked={current === value}
              onChange={() => void save(withRoomLevel(settings, room.name, value === "default" ? null : value))}
            />
            {text}
          </label>
        ))}
      </fieldset>
      <Alert error={error} />
      {onDone ? (
        <div className="dialog-actions">
          <button type="button" className="ghost" onClick={onDone}>
            Done
          </button>
        </div>
      ) : null}
    </>
  );
}
