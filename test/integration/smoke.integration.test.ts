import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nextEvent, startTestServer, type TestServer } from "../helpers/test-server";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

describe("harness", () => {
  it("serves the seed's health JSON and a socket.io history", async () => {
    const res = await fetch(server.url + "/");
    expect(await res.json()).toEqual({ status: "Server is running" });
    const token = await server.token("alice");
    const socket = server.connect({ token });
    const history = await nextEvent(socket, "history");
    expect(history.messages).toEqual([]);
  });
});
