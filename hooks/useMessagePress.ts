"use client";
// Touch on a message: a tap toggles its actions, a press held still for LONG_PRESS_MS opens them (as a long
// press does in Slack's or Discord's apps). Moving the finger (a scroll) before then cancels the press:
// use-long-press cancels on movement past MOVE_PX, and on the pointerleave that follows the pointercancel
// the browser sends when it takes the gesture over for scrolling.
import { useRef, useState, type MouseEvent, type PointerEvent } from "react";
import {
  LongPressCallbackReason,
  LongPressEventType,
  useLongPress,
  type LongPressCallbackMeta,
  type LongPressReactEvents,
} from "use-long-press";

/** Android's and iOS's long-press time */
export const LONG_PRESS_MS = 500;
const MOVE_PX = 10;

/** A finger on the message itself, not on one of its controls (they handle their own taps). */
const touchOnText = (e: { target: EventTarget; nativeEvent: Event }) =>
  (e.nativeEvent as Partial<globalThis.PointerEvent>).pointerType === "touch" &&
  e.target instanceof Element &&
  !e.target.closest("button, a, input, textarea");

export function useMessagePress(handlers: { onTap: () => void; onHold: () => void }) {
  /** a press is under way (shown, so the finger gets feedback) */
  const [pressing, setPressing] = useState(false);
  /** this gesture opened the actions, or moved (a scroll): the finger lifting is no tap */
  const held = useRef(false);
  const moved = useRef(false);
  const bind = useLongPress(
    () => {
      held.current = true;
      setPressing(false);
      handlers.onHold();
    },
    {
      threshold: LONG_PRESS_MS,
      detect: LongPressEventType.Pointer,
      cancelOnMovement: MOVE_PX,
      filterEvents: (e: LongPressReactEvents) => touchOnText(e),
      onStart: () => setPressing(true),
      onCancel: (_e: LongPressReactEvents, meta: LongPressCallbackMeta) => {
        if (meta.reason !== LongPressCallbackReason.CancelledByRelease) moved.current = true;
        setPressing(false);
      },
    },
  )();
  return {
    pressing,
    bind: {
      ...bind,
      onPointerDown: (e: PointerEvent<Element>) => {
        held.current = false;
        moved.current = false;
        bind.onPointerDown(e);
      },
      onPointerUp: (e: PointerEvent<Element>) => {
        bind.onPointerUp(e);
        if (!held.current && !moved.current && touchOnText(e)) handlers.onTap();
      },
      // the long press is ours: no native menu over the actions (text is copied with "Copy text")
      onContextMenu: (e: MouseEvent<Element>) => {
        if (held.current || touchOnText(e)) e.preventDefault();
      },
    },
  };
}
