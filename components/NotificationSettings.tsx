"use client";
// The notification settings panel: the account's level, this browser's desktop notifications and sound, and
// each room's own level (mute included). Self-contained: it loads and saves through the page's settings store
// and works inside the chat (the top bar's dialog) or on a page of its own (it then fetches the rooms itself).
import { useContext, useEffect, useId, useState, useSyncExternalStore } from "react";
import { ChatContext } from "@/hooks/useChat";
import { useNotificationSettings } from "@/hooks/useNotificationSettings";
import { createHttp } from "@/lib/client/http";
import { NOTIFY_LEVELS, type NotificationSettings, type NotifyLevel, type RoomSummary } from "@/lib/protocol";
import { LEVEL_LABELS, roomOverride, withRoomLevel } from "@/lib/web/notify";
import { Alert } from "./Alert";
import { DesktopNotifications } from "./DesktopNotifications";
import styles from "./notifications.module.css";

/** the user's level as the room choices name it (a select is narrow) */
const SHORT_LABELS: Record<NotifyLevel, string> = { all: "all messages", mentions: "mentions", none: "nothing" };

const HINT: Record<NotifyLevel, string> = {
  all: "Every message in your rooms and direct messages.",
  mentions: "Messages that mention you (@name, @room, @here) and every direct message.",
  none: "No notifications; unread badges still show.",
};

export function NotificationSettings() {
  const { settings, error, save } = useNotificationSettings({ fresh: true });
  const rooms = useMyRooms();
  return (
    <div className={styles.panel} data-testid="notification-settings">
      <Alert error={error} />
      {settings ? (
        <LevelChoice settings={settings} onChange={(level) => void save({ ...settings, level })} />
      ) : (
        <p className={styles.muted}>{error ? null : "Loading your settings…"}</p>
      )}
      <DesktopNotifications />
      {settings ? <RoomLevels settings={settings} rooms={rooms} onSave={(next) => void save(next)} /> : null}
    </div>
  );
}

function LevelChoice({ settings, onChange }: { settings: NotificationSettings; onChange: (l: NotifyLevel) => void }) {
  const name = useId();
  return (
    <fieldset className={styles.group}>
      <legend>Notify me about</legend>
      {NOTIFY_LEVELS.map((level) => (
        <label key={level} className="check">
          <input
            type="radio"
            name={name}
            value={level}
            checked={settings.level === level}
            onChange={() => onChange(level)}
          />
          <span>
            {LEVEL_LABELS[level]}
            <span className={`hint ${styles.note}`}> — {HINT[level]}</span>
          </span>
        </label>
      ))}
    </fieldset>
  );
}

/** How a conversation is named in the list: "# dev" or "@alice". */
const roomLabel = (room: Pick<RoomSummary, "name" | "peer">) => (room.peer ? `@${room.peer}` : `# ${room.name}`);

function RoomLevels(props: {
  settings: NotificationSettings;
  rooms: RoomSummary[] | null;
  onSave: (next: NotificationSettings) => void;
}) {
  const { settings, rooms, onSave } = props;
  const headingId = useId();
  return (
    <section aria-labelledby={headingId}>
      <h3 className={styles.heading} id={headingId}>
        Rooms and direct messages
      </h3>
      {rooms === null ? (
        <p className={styles.muted}>Loading your rooms…</p>
      ) : (
        <ul className={styles.rooms} data-testid="room-levels">
          {rooms.map((room) => (
            <li key={room.name} className={styles.room}>
              <span className={styles.roomName}>{roomLabel(room)}</span>
              <RoomLevelSelect
                label={`Notifications for ${roomLabel(room)}`}
                settings={settings}
                dm={room.kind === "dm"}
                value={roomOverride(settings, room.name)}
                onChange={(level) => onSave(withRoomLevel(settings, room.name, level))}
              />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The choices one conversation has: follow the user's level, or its own (a DM's "mentions" is every message). */
export function roomChoices(settings: NotificationSettings, dm: boolean): [NotifyLevel | "default", string][] {
  return [
    ["default", `Default: ${SHORT_LABELS[settings.level]}`],
    ["all", dm ? "Every message" : "All messages"],
    ...(dm ? [] : [["mentions", "Mentions only"] as [NotifyLevel, string]]),
    ["none", "Muted"],
  ];
}

function RoomLevelSelect(props: {
  label: string;
  settings: NotificationSettings;
  dm: boolean;
  value: NotifyLevel | null;
  onChange: (level: NotifyLevel | null) => void;
}) {
  const choices = roomChoices(props.settings, props.dm);
  // a DM set to "mentions" (by an older client) reads as every message, which it is
  const value = props.dm && props.value === "mentions" ? "all" : (props.value ?? "default");
  return (
    <select
      aria-label={props.label}
      value={value}
      onChange={(e) => props.onChange(e.target.value === "default" ? null : (e.target.value as NotifyLevel))}
    >
      {choices.map(([v, text]) => (
        <option key={v} value={v}>
          {text}
        </option>
      ))}
    </select>
  );
}

const NO_ROOMS = () => () => undefined;

/** The user's rooms: the chat's list when inside the chat, else fetched once (a settings page of its own). */
function useMyRooms(): RoomSummary[] | null {
  const client = useContext(ChatContext);
  const live = useSyncExternalStore(
    client ? client.store.subscribe : NO_ROOMS,
    () => (client ? client.store.getState().rooms : null),
    () => null,
  );
  const [fetched, setFetched] = useState<RoomSummary[] | null>(null);
  useEffect(() => {
    if (client) return;
    const abort = new AbortController();
    createHttp({ baseUrl: "" })
      .rooms()
      .then(
        (rooms) => !abort.signal.aborted && setFetched(rooms),
        () => !abort.signal.aborted && setFetched([]),
      );
    return () => abort.abort();
  }, [client]);
  return client ? live : fetched;
}
