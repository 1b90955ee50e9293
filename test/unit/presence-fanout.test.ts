// lib/realtime/presence-fanout.ts on stand-in sockets, on fake timers: changes gathered over the window (a
// user's last one wins, in the order of the latest changes), every socket served a chunk per turn, flushes
// never overlapping, the WebSocket path's pre-encoded frames decoded by ws's own Receiver, and the event-by-
// event path wherever engine.io would not write pre-encoded frames.
import type { Writable } from "node:stream";
import * as ws from "ws";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { PresenceEvent } from "@/lib/protocol";
import { createPresenceFanout } from "@/lib/realtime/presence-fanout";
import type { ChatServer } from "@/lib/realtime/types";

type Transport = "websocket" | "polling" | "websocket without sendFrame";

interface Fake {
  connected: boolean;
  got: PresenceEvent[];
  frames: Buffer[];
  emit(event: string, e: PresenceEvent): void;
  conn: {
    readyState: string;
    transport: { name: string; socket?: { _sender: { sendFrame?: () => void } } };
    write(data: string, opts: { wsPreEncodedFrame: Buffer[] }): void;
  };
}

function fake(transport: Transport): Fake {
  const sender = transport === "websocket" ? { sendFrame: () => undefined } : {};
  const f: Fake = {
    connected: true,
    got: [],
    frames: [],
    emit: (_event, e) => f.got.push(e),
    conn: {
      readyState: "open",
      transport: transport === "polling" ? { name: "polling" } : { name: "websocket", socket: { _sender: sender } },
      write: (_data, opts) => f.frames.push(...opts.wsPreEncodedFrame),
    },
  };
  return f;
}

function fakeIo(sockets: Fake[]): ChatServer {
  return { of: () => ({ sockets: new Map(sockets.map((s, i) => [String(i), s])) }) } as unknown as ChatServer;
}

// ws's frame decoder (not in @types/ws)
const { Receiver } = ws as unknown as { Receiver: new (opts: { isServer: boolean }) => Writable };

/** the socket.io events in a run of WebSocket frames, as a client reads them */
function decode(frames: Buffer[]): PresenceEvent[] {
  const out: PresenceEvent[] = [];
  const receiver = new Receiver({ isServer: false });
  receiver.on("message", (data: Buffer) => {
    const text = data.toString();
    expect(text.startsWith("42")).toBe(true); // engine.io message, socket.io event
    const [name, payload] = JSON.parse(text.slice(2)) as [string, PresenceEvent];
    expect(name).toBe("presence");
    out.push(payload);
  });
  for (const f of frames) receiver.write(f);
  return out;
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setImmediate", "clearImmediate"] });
});
afterEach(() => {
  vi.useRealTimers();
});

const ann = (online: boolean) => ({ username: "ann", online });

describe("presence fan-out", () => {
  it("gathers the window's changes, the last per user, in the order of the latest changes", () => {
    const s = fake("polling");
    const fanout = createPresenceFanout(fakeIo([s]), { windowMs: 20 });
    fanout.push(ann(true));
    fanout.push({ username: "bob", online: true });
    fanout.push(ann(false));
    vi.advanceTimersByTime(19);
    expect(s.got).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(s.got).toEqual([{ username: "bob", online: true }, ann(false)]);
    fanout.close();
  });

  it("writes a batch to a WebSocket at once, as frames a client decodes; event by event elsewhere", () => {
    const [sock, polling, older] = [fake("websocket"), fake("polling"), fake("websocket without sendFrame")];
    const fanout = createPresenceFanout(fakeIo([sock, polling, older]), { windowMs: 10 });
    const events = Array.from({ length: 50 }, (_, i) => ({ username: `user${i}`, online: i % 2 === 0 }));
    for (const e of events) fanout.push(e);
    vi.advanceTimersByTime(10);
    expect(sock.frames).toHaveLength(1);
    expect(decode(sock.frames)).toEqual(events);
    expect(sock.got).toEqual([]);
    expect(polling.got).toEqual(events);
    // engine.io would write only the first event's data here: every event goes on its own
    expect(older.frames).toEqual([]);
    expect(older.got).toEqual(events);
    fanout.close();
  });

  it("serves a chunk of sockets per turn, skips closed ones, and starts the next flush after the last chunk", () => {
    const sockets = Array.from({ length: 7 }, () => fake("polling"));
    sockets[3]!.connected = false;
    const fanout = createPresenceFanout(fakeIo(sockets), { windowMs: 5, chunk: 2 });
    const served = () => sockets.map((s) => s.got.length);
    fanout.push(ann(true));
    vi.advanceTimersByTime(5); // the flush starts: the first chunk now, the others on later turns
    expect(served()).toEqual([1, 1, 0, 0, 0, 0, 0]);
    fanout.push(ann(false)); // during the flush: waits for it
    vi.advanceTimersToNextTimer(); // one turn: the next chunk
    expect(served()).toEqual([1, 1, 1, 0, 0, 0, 0]); // the closed socket is passed over
    vi.advanceTimersToNextTimer();
    expect(served()).toEqual([1, 1, 1, 0, 1, 1, 0]);
    vi.advanceTimersToNextTimer();
    expect(served()).toEqual([1, 1, 1, 0, 1, 1, 1]);
    // the second batch only now: a window after the first flush ended
    vi.advanceTimersByTime(4);
    expect(sockets[0]!.got).toEqual([ann(true)]);
    vi.advanceTimersByTime(1);
    for (const [i, s] of sockets.entries())
      expect(s.got).toEqual(i === 3 ? [] : [ann(true), ann(false)].slice(0, i < 2 ? 2 : 1));
    vi.runAllTimers();
    for (const [i, s] of sockets.entries()) expect(s.got).toEqual(i === 3 ? [] : [ann(true), ann(false)]);
    fanout.close();
  });

  it("sends nothing after close", () => {
    const s = fake("polling");
    const fanout = createPresenceFanout(fakeIo([s]), { windowMs: 5 });
    fanout.push(ann(true));
    fanout.close();
    vi.runAllTimers();
    expect(s.got).toEqual([]);
  });
});
