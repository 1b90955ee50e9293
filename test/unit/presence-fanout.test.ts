// lib/realtime/presence-fanout.ts on stand-in sockets: changes gathered over the window (a user's last one
// wins, in the order of the latest changes), every socket served in chunks, flushes never overlapping, and
// the WebSocket path's pre-encoded frames decoded by ws's own Receiver.
import type { Writable } from "node:stream";
import * as ws from "ws";
import { describe, expect, it } from "vitest";
import type { PresenceEvent } from "@/lib/protocol";
import { createPresenceFanout } from "@/lib/realtime/presence-fanout";
import type { ChatServer } from "@/lib/realtime/types";

interface Fake {
  connected: boolean;
  got: PresenceEvent[];
  frames: Buffer[];
  emit(event: string, e: PresenceEvent): void;
  conn: {
    readyState: string;
    transport: { name: string };
    write(data: string, opts: { wsPreEncodedFrame: Buffer[] }): void;
  };
}

function fake(transport: "websocket" | "polling"): Fake {
  const f: Fake = {
    connected: true,
    got: [],
    frames: [],
    emit: (_event, e) => f.got.push(e),
    conn: {
      readyState: "open",
      transport: { name: transport },
      write: (_data, opts) => f.frames.push(...opts.wsPreEncodedFrame),
    },
  };
  return f;
}

function fakeIo(sockets: Fake[]): ChatServer {
  return { of: () => ({ sockets: new Map(sockets.map((s, i) => [String(i), s])) }) } as unknown as ChatServer;
}

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

// ws's frame decoder (not in @types/ws)
const { Receiver } = ws as unknown as { Receiver: new (opts: { isServer: boolean }) => Writable };

const flushed = () => new Promise((r) => setTimeout(r, 60));

describe("presence fan-out", () => {
  it("gathers the window's changes, the last per user, in the order of the latest changes", async () => {
    const s = fake("polling");
    const fanout = createPresenceFanout(fakeIo([s]), { windowMs: 20 });
    fanout.push({ username: "ann", online: true });
    fanout.push({ username: "bob", online: true });
    fanout.push({ username: "ann", online: false });
    expect(s.got).toEqual([]);
    await flushed();
    expect(s.got).toEqual([
      { username: "bob", online: true },
      { username: "ann", online: false },
    ]);
    fanout.close();
  });

  it("writes all of a batch to a WebSocket at once, as frames a client decodes", async () => {
    const [ws, polling] = [fake("websocket"), fake("polling")];
    const fanout = createPresenceFanout(fakeIo([ws, polling]), { windowMs: 10 });
    const events = Array.from({ length: 50 }, (_, i) => ({ username: `user${i}`, online: i % 2 === 0 }));
    for (const e of events) fanout.push(e);
    await flushed();
    expect(ws.frames).toHaveLength(1);
    expect(decode(ws.frames)).toEqual(events);
    expect(ws.got).toEqual([]);
    expect(polling.got).toEqual(events);
    fanout.close();
  });

  it("serves every socket in chunks, skips closed ones, and never overlaps two flushes", async () => {
    const sockets = Array.from({ length: 7 }, () => fake("polling"));
    sockets[3]!.connected = false;
    const fanout = createPresenceFanout(fakeIo(sockets), { windowMs: 5, chunk: 2 });
    fanout.push({ username: "ann", online: true });
    await new Promise((r) => setTimeout(r, 6));
    // the first flush is under way (two sockets a turn): a change now waits for it to finish
    fanout.push({ username: "ann", online: false });
    await flushed();
    for (const [i, s] of sockets.entries()) {
      expect(s.got).toEqual(
        i === 3
          ? []
          : [
              { username: "ann", online: true },
              { username: "ann", online: false },
            ],
      );
    }
    fanout.close();
  });

  it("sends nothing after close", async () => {
    const s = fake("polling");
    const fanout = createPresenceFanout(fakeIo([s]), { windowMs: 5 });
    fanout.push({ username: "ann", online: true });
    fanout.close();
    await flushed();
    expect(s.got).toEqual([]);
  });
});
