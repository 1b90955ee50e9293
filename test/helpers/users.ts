// A signed-in test user with a live socket: the starting point of most integration tests.
import { nextEvent, type TestServer, type TestSocket } from "./test-server";

export interface ConnectedUser {
  name: string;
  token: string;
  socket: TestSocket;
}

/** Registers `name`, logs in and connects a socket that has had its first `history`. */
export async function connectedUser(server: TestServer, name: string): Promise<ConnectedUser> {
  const token = await server.token(name);
  const socket = server.connect({ token });
  await nextEvent(socket, "history");
  return { name, token, socket };
}
