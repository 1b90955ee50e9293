// Issue 4, point 8: a fast-check fuzz of the realtime boundaries. Random frames (text: JSON values, strings,
// message-shaped objects; binary: random bytes) on /ws: the socket always answers (an error frame or the
// message) and stays open. Random argument lists for socket.io `message:send`: the ack always has the
// `{ok:true, message}` / `{ok:false, error:{code, detail}}` shape. The server still serves afterwards.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ERROR_CODES, type Ack, type Message, type WsServerFrame } from "@/lib/protocol";
import { connectOutcome, ioFrom, rawRequest } from "../helpers/security";
import { ackedMessage, send } from "../helpers/socket-utils";
import { startTestServer, type TestServer, type TestSocket } from "../helpers/test-server";
import { openWs, type WsClient } from "../helpers/ws-client";

const RUNS = 2000;
let server: TestServer;
let token: string;
let bystander: TestSocket;

beforeAll(async () => {
  server = await startTestServer();
  token = await server.token("fuzz_sockets");
  bystander = ioFrom(server.url, undefined, {
    transports: ["websocket"],
    auth: { token: await server.token("fuzz_bystander") },
  });
  expect(await connectOutcome(bystander)).toBe("connected");
});
afterAll(async () => {
  bystander.disconnect();
  await server.close();
});

async function expectServing(label: string): Promise<void> {
  expect((await rawRequest(server.url, "/api/health")).status).toBe(200);
  expect(bystander.connected).toBe(true);
  expect(ackedMessage(await send(bystander, { content: `after ${label}` })).content).toBe(`after ${label}`);
}

/** Resolves once the client holds more than `count` frames (the client's own listener stores them first). */
function nextFrame(client: WsClient, count: number, ms = 3000): Promise<void> {
  if (client.frames.length > count) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.ws.off("message", onMessage);
      reject(new Error(`no answer frame within ${ms} ms`));
    }, ms);
    const onMessage = () => {
      if (client.frames.length <= count) return;
      clearTimeout(timer);
      client.ws.off("message", onMessage);
      resolve();
    };
    client.ws.on("message", onMessage);
  });
}

const contentLike = fc.oneof(
  { weight: 4, arbitrary: fc.string({ minLength: 1, maxLength: 50 }) },
  fc.string({ unit: "binary", maxLength: 50 }),
  fc.constantFrom("", "   ", "\n\t", "x".repeat(4000), "x".repeat(4001), "😀".repeat(4001), "\u0000", "\u001b[2J"),
  fc.jsonValue({ maxDepth: 2 }),
);
const clientIdLike = fc.oneof(fc.uuid(), fc.string({ maxLength: 40 }), fc.integer(), fc.constant(null));
const oddKey = fc.oneof(fc.constantFrom("__proto__", "constructor", "prototype", "room", "to", ""), fc.string());
/** message-shaped objects: usually a content, sometimes a clientId, sometimes odd extra keys (own __proto__ too) */
const messageLike: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(
    fc.record({ content: contentLike, clientId: clientIdLike }, { requiredKeys: ["content"] }),
    fc.dictionary(oddKey, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 2 }),
  )
  .map(([base, extra]) => JSON.parse(JSON.stringify({ ...extra, ...base })) as Record<string, unknown>);

describe("fuzz /ws frames", () => {
  it(`${RUNS} random frames: each answered by an error frame or the stored message, the socket stays open`, async () => {
    const client: WsClient = await openWs(server.url, { token });
    try {
      await client.nextOf("history");
      const frame = fc.oneof(
        fc.jsonValue().map((v) => ({ text: JSON.stringify(v) })),
        { weight: 4, arbitrary: messageLike.map((v) => ({ text: JSON.stringify(v) })) },
        fc.string({ unit: "binary", maxLength: 200 }).map((text) => ({ text })),
        fc.string({ maxLength: 200 }).map((text) => ({ text })),
        fc.uint8Array({ maxLength: 300 }).map((a) => ({ binary: Buffer.from(a) })),
      );
      const answers = { error: 0, message: 0 };
      await fc.assert(
        fc.asyncProperty(frame, async (f) => {
          const from = client.frames.length;
          if ("binary" in f) client.ws.send(f.binary, { binary: true });
          else client.ws.send(f.text);
          await nextFrame(client, from);
          const answer: WsServerFrame = client.frames[from]!;
          expect(["error", "message"]).toContain(answer.type);
          if (answer.type === "error") expect(answer.detail.length).toBeGreaterThan(0);
          answers[answer.type as "error" | "message"]++;
          expect(client.ws.readyState).toBe(client.ws.OPEN);
        }),
        { numRuns: RUNS },
      );
      expect(answers.error).toBeGreaterThan(0);
      expect(answers.message).toBeGreaterThan(0);
    } finally {
      await client.close();
    }
    await expectServing("the /ws fuzz");
  });
});

describe("fuzz socket.io message:send", () => {
  it(`${RUNS} random argument lists: the ack is always {ok:true, message} or {ok:false, error:{code, detail}}`, async () => {
    const socket = ioFrom(server.url, undefined, { transports: ["websocket"], auth: { token } });
    try {
      expect(await connectOutcome(socket)).toBe("connected");
      const arg = fc.oneof(
        { weight: 3, arbitrary: messageLike },
        fc.jsonValue(),
        fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a)),
        fc.constant(undefined),
      );
      const seen = { ok: 0, refused: 0 };
      await fc.assert(
        fc.asyncProperty(fc.array(arg, { maxLength: 3 }), async (args) => {
          // any argument list, which the typed client would not allow
          const loose = socket as unknown as {
            timeout(ms: number): { emitWithAck(event: string, ...rest: unknown[]): Promise<Ack<{ message: Message }>> };
          };
          const ack = await loose.timeout(5000).emitWithAck("message:send", ...args);
          expect(typeof ack).toBe("object");
          if (ack.ok) {
            seen.ok++;
            expect(Object.keys(ack).sort()).toEqual(["message", "ok"]);
            expect(ack.message).toMatchObject({ id: expect.any(Number) as unknown, username: "fuzz_sockets" });
            const sent = args[0] as { content: string };
            expect(ack.message.content).toBe(sent.content.trim());
          } else {
            seen.refused++;
            expect(ack.ok).toBe(false);
            expect(Object.keys(ack).sort()).toEqual(["error", "ok"]);
            expect(ERROR_CODES).toContain(ack.error.code);
            expect(typeof ack.error.detail).toBe("string");
            expect(ack.error.detail.length).toBeGreaterThan(0);
          }
          expect(socket.connected).toBe(true);
        }),
        { numRuns: RUNS },
      );
      expect(seen.ok).toBeGreaterThan(0);
      expect(seen.refused).toBeGreaterThan(0);
    } finally {
      socket.disconnect();
    }
    await expectServing("the socket.io fuzz");
  });
});
