// Text with a lone UTF-16 surrogate (JSON's "\ud800" escape can carry one; no UTF-8 byte sequence can) is made
// well-formed at validation: the surrogate becomes U+FFFD. Before, SQLite stored it as bytes that read back as
// three U+FFFD and PostgreSQL as one: the sender's ack, the history and the two databases disagreed. Runs on
// both databases (npm run test:pg), over both transports and every route that stores what people write.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createdHookResponseSchema, type Message } from "@/lib/protocol";
import { body, getMessages } from "../helpers/http";
import { ackedMessage, sendRaw, waitConnected } from "../helpers/socket-utils";
import { nextEvent, startTestServer, type TestServer, type TestSocket } from "../helpers/test-server";
import { openWs } from "../helpers/ws-client";

const LONE = "a\ud800b\udfffc";
const MENDED = "a\ufffdb\ufffdc";

let server: TestServer;
let token: string;
let socket: TestSocket;
const auth = () => ({ authorization: `Bearer ${token}` });

beforeAll(async () => {
  server = await startTestServer();
  token = await server.token("surrogate_user");
  socket = server.connect({ token });
  await waitConnected(socket);
});
afterAll(async () => {
  socket.disconnect();
  await server.close();
});

async function stored(id: number): Promise<Message> {
  const res = await getMessages(server.url, { room: "general", around: id, limit: 3 }, { token });
  expect(res.status).toBe(200);
  const found = (await body<{ messages: Message[] }>(res)).messages.find((m) => m.id === id);
  if (!found) throw new Error(`message ${id} is not in the history`);
  return found;
}

/** A JSON text whose string values keep their lone surrogates as escapes, as a client's JSON.stringify writes. */
const json = (value: unknown): string => JSON.stringify(value);

describe("a lone surrogate becomes U+FFFD, and the ack, the history and a reader agree", () => {
  it("over socket.io: a sent message, then its edit", async () => {
    const sent = ackedMessage(await sendRaw(socket, { content: LONE }));
    expect(sent.content).toBe(MENDED);
    expect((await stored(sent.id)).content).toBe(MENDED);

    const edit = (await socket.emitWithAck("message:edit", { id: sent.id, content: `${LONE}!` })) as {
      ok: boolean;
      message?: Message;
    };
    expect(edit.ok).toBe(true);
    expect(edit.message?.content).toBe(`${MENDED}!`);
    expect((await stored(sent.id)).content).toBe(`${MENDED}!`);
  });

  it("over the plain WebSocket: the echoed frame and the history", async () => {
    const ws = await openWs(server.url, { token });
    try {
      await ws.nextOf("history");
      ws.ws.send(json({ content: `ws ${LONE}` }));
      const frame = await ws.nextOf("message");
      expect(frame.content).toBe(`ws ${MENDED}`);
      expect((await stored(frame.id)).content).toBe(`ws ${MENDED}`);
    } finally {
      await ws.close();
    }
  });

  it("a display name and a status line", async () => {
    const res = await fetch(`${server.url}/api/me`, {
      method: "PATCH",
      headers: { ...auth(), "content-type": "application/json" },
      body: json({ displayName: `Sur ${LONE}`, status: `away ${LONE}` }),
    });
    expect(res.status).toBe(200);
    const me = await body<{ displayName: string; status: string }>(
      await fetch(`${server.url}/api/me`, { headers: auth() }),
    );
    expect(me.displayName).toBe(`Sur ${MENDED}`);
    expect(me.status).toBe(`away ${MENDED}`);
  });

  it("a webhook's name, its post's text and the bot name it gives", async () => {
    const made = await server.post("/api/hooks", { room: "general", name: `hook ${LONE}` }, auth());
    expect(made.status).toBe(201);
    const hook = createdHookResponseSchema.parse(await made.json()).hook;
    expect(hook.name).toBe(`hook ${MENDED}`);

    const seen = nextEvent(socket, "message:new");
    const posted = await fetch(hook.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: json({ text: `alert ${LONE}`, username: `bot ${LONE}` }),
    });
    expect(posted.status).toBe(200);
    const message = await seen;
    expect(message.content).toBe(`alert ${MENDED}`);
    expect(message.bot?.name).toBe(`bot ${MENDED}`);
    expect(await stored(message.id)).toMatchObject({ content: `alert ${MENDED}`, bot: { name: `bot ${MENDED}` } });
  });
});
