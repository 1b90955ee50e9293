// Shared fixtures for the e2e suite: unique users, each in their own browser context, plus API and socket
// helpers that talk to the real server started by playwright.config.ts.
import { randomBytes } from "node:crypto";
import {
  test as base,
  expect,
  type APIRequestContext,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Page,
} from "@playwright/test";
import { io, type ManagerOptions, type Socket, type SocketOptions } from "socket.io-client";
import {
  SESSION_COOKIE,
  type Ack,
  type ClientToServerEvents,
  type LoginResponse,
  type Message,
  type RoomSummary,
  type ServerToClientEvents,
  type SocketAuth,
} from "../lib/protocol";
import { ChatPage } from "./pages/chat-page";
import { LoginPage } from "./pages/login-page";

export { expect };

/** Valid for every account the suite creates (8–72 bytes). */
export const PASSWORD = "correct-horse-battery";

const USERNAME = /^[A-Za-z0-9_.-]{3,32}$/;

/**
 * `<prefix>_<hex>`: unique per call (12 hex chars by default), always a valid username (3–32 of [A-Za-z0-9_.-]).
 * Every run starts on an empty database, so fewer random bytes (for tidy screenshots) are still safe.
 */
export function uniqueUsername(prefix = "u", randomBytesCount = 6): string {
  const suffix = randomBytes(randomBytesCount).toString("hex");
  const name = `${prefix.slice(0, 32 - 1 - suffix.length)}_${suffix}`;
  if (!USERNAME.test(name)) throw new Error(`not a valid username prefix: ${JSON.stringify(prefix)}`);
  return name;
}

/** A room name no other test (or run) uses: letters, digits and "-" only (so it sorts after general). */
export const uniqueRoom = (label: string) => uniqueUsername(label, 3).replace("_", "-");

/** Text no other test (or run) can have written. */
export function uniqueText(label: string): string {
  return `${label} ${randomBytes(4).toString("hex")}`;
}

// ---- browser users ------------------------------------------------------------------------------------------

/** One person: their own browser context (own cookies, own socket) and page objects on its page. */
export interface ChatUser {
  username: string;
  password: string;
  context: BrowserContext;
  page: Page;
  loginPage: LoginPage;
  chatPage: ChatPage;
}

async function openUser(
  browser: Browser,
  prefix: string,
  options: BrowserContextOptions = {},
  username = uniqueUsername(prefix),
): Promise<ChatUser> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  return {
    username,
    password: PASSWORD,
    context,
    page,
    loginPage: new LoginPage(page),
    chatPage: new ChatPage(page),
  };
}

// ---- HTTP helpers ---------------------------------------------------------------------------------------------

export async function apiRegister(request: APIRequestContext, username: string, password = PASSWORD): Promise<void> {
  const res = await request.post("/register", { data: { username, password } });
  expect(res.status(), `register ${username}: ${await res.text()}`).toBe(200);
}

export async function apiLogin(request: APIRequestContext, username: string, password = PASSWORD): Promise<string> {
  const res = await request.post("/login", { data: { username, password } });
  expect(res.status(), `login ${username}: ${await res.text()}`).toBe(200);
  const { token } = (await res.json()) as LoginResponse;
  return token;
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/**
 * The fast path for tests that are not about the login form (like vercel/ai-chatbot's storage state): register
 * and log in over the API, hand the session cookie to the user's browser context and open the chat.
 */
export async function signInViaApi(request: APIRequestContext, user: ChatUser, serverURL: string): Promise<string> {
  await apiRegister(request, user.username, user.password);
  const token = await apiLogin(request, user.username, user.password);
  await user.context.addCookies([
    { name: SESSION_COOKIE, value: token, url: serverURL, httpOnly: true, sameSite: "Lax" },
  ]);
  await user.chatPage.goto();
  await user.chatPage.expectSignedInAs(user.username);
  return token;
}

// ---- sockets --------------------------------------------------------------------------------------------------

export type ChatClient = Socket<ServerToClientEvents, ClientToServerEvents>;
type ClientOptions = Partial<ManagerOptions & SocketOptions>;

/** Connects (listeners added before this call see `history`); rejects with the server's connect_error. */
export function connect(socket: ChatClient): Promise<ChatClient> {
  return new Promise((resolve, reject) => {
    socket.once("connect", () => {
      socket.off("connect_error");
      resolve(socket);
    });
    socket.once("connect_error", (err) => {
      socket.off("connect");
      reject(err);
    });
    socket.connect();
  });
}

/** Where a message goes: a room by name (default general) or a user (a DM). */
export type Address = { room?: string; to?: string };

/** Sends and waits for the durable ack; throws when the server refuses. */
export async function sendMessage(socket: ChatClient, content: string, address: Address = {}): Promise<Message> {
  const ack = (await socket.timeout(5_000).emitWithAck("message:send", { content, ...address })) as Ack<{
    message: Message;
  }>;
  if (!ack.ok) throw new Error(`message:send refused: ${ack.error.code}: ${ack.error.detail}`);
  return ack.message;
}

/** Sends one after another (each acked before the next), so ids follow the array's order. */
export async function sendMessages(
  socket: ChatClient,
  contents: readonly string[],
  address: Address = {},
): Promise<Message[]> {
  const sent: Message[] = [];
  for (const content of contents) sent.push(await sendMessage(socket, content, address));
  return sent;
}

async function roomRequest<T extends object>(request: Promise<unknown>, what: string): Promise<T> {
  const ack = (await request) as Ack<T>;
  if (!ack.ok) throw new Error(`${what} refused: ${ack.error.code}: ${ack.error.detail}`);
  return ack;
}

/** room:create over a socket (the creator is its first member). */
export function createRoom(socket: ChatClient, name: string, isPrivate = false): Promise<{ room: RoomSummary }> {
  return roomRequest(socket.timeout(5_000).emitWithAck("room:create", { name, private: isPrivate }), "room:create");
}

export function joinRoom(socket: ChatClient, room: string): Promise<{ room: RoomSummary; messages: Message[] }> {
  return roomRequest(socket.timeout(5_000).emitWithAck("room:join", { room }), "room:join");
}

export function inviteToRoom(socket: ChatClient, room: string, username: string): Promise<object> {
  return roomRequest(socket.timeout(5_000).emitWithAck("room:invite", { room, username }), "room:invite");
}

/** `owner` (over a socket) makes a fresh room that `member` joins in the browser, who then goes back to general. */
export async function roomJoinedInBrowser(owner: ChatClient, member: ChatUser, label: string): Promise<string> {
  const room = uniqueRoom(label);
  await createRoom(owner, room);
  await member.chatPage.sidebar.joinFromDirectory(room);
  await member.chatPage.sidebar.room("general").click();
  await member.chatPage.expectRoom("# general");
  return room;
}

// ---- fixtures -------------------------------------------------------------------------------------------------

interface TestFixtures {
  /** Two people in SEPARATE browser contexts; not registered yet. */
  alice: ChatUser;
  bob: ChatUser;
  /** More people, each in a new context (e.g. another viewport); all closed after the test. */
  newUser: (prefix: string, options?: BrowserContextOptions, username?: string) => Promise<ChatUser>;
  /** A socket.io client, not yet connected (call `connect`); disconnected after the test. */
  socket: (auth: SocketAuth, options?: ClientOptions) => ChatClient;
  serverURL: string;
  /** Registers and signs in each user in turn (signInViaApi, each on the chat); their tokens, in order. */
  signIn: <Users extends ChatUser[]>(...users: Users) => Promise<{ [K in keyof Users]: string }>;
}

interface WorkerFixtures {
  /** A registered account with a live token, shared by the read-only API tests of one worker. */
  apiUser: { username: string; password: string; token: string };
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  serverURL: async ({ baseURL }, use) => {
    if (!baseURL) throw new Error("playwright.config.ts must set use.baseURL");
    await use(baseURL);
  },

  signIn: async ({ request, serverURL }, use) => {
    await use(async <Users extends ChatUser[]>(...users: Users) => {
      const tokens: string[] = [];
      for (const user of users) tokens.push(await signInViaApi(request, user, serverURL));
      return tokens as { [K in keyof Users]: string };
    });
  },

  newUser: async ({ browser }, use) => {
    const contexts: BrowserContext[] = [];
    await use(async (prefix, options, username) => {
      const user = await openUser(browser, prefix, options, username);
      contexts.push(user.context);
      return user;
    });
    await Promise.all(contexts.map((c) => c.close()));
  },

  alice: async ({ newUser }, use) => {
    await use(await newUser("alice"));
  },

  bob: async ({ newUser }, use) => {
    await use(await newUser("bob"));
  },

  socket: async ({ serverURL }, use) => {
    const sockets: ChatClient[] = [];
    await use((auth, options = {}) => {
      const socket: ChatClient = io(serverURL, {
        auth,
        transports: ["websocket"],
        autoConnect: false,
        reconnection: false,
        forceNew: true,
        ...options,
      });
      sockets.push(socket);
      return socket;
    });
    for (const s of sockets) s.disconnect();
  },

  apiUser: [
    async ({ playwright }, use, workerInfo) => {
      const request = await playwright.request.newContext({ baseURL: workerInfo.project.use.baseURL });
      const username = uniqueUsername("api");
      await apiRegister(request, username);
      const token = await apiLogin(request, username);
      await request.dispose();
      await use({ username, password: PASSWORD, token });
    },
    { scope: "worker" },
  ],
});
