// The wire's limits and the paths a message links to (SPEC.md), re-exported by lib/protocol.ts. A module of
// their own, without zod, so that the message writer's thread (lib/db/writer-thread.ts) loads only these.
export const LIMITS = {
  usernameMin: 3,
  usernameMax: 32,
  passwordMinBytes: 8,
  /** bcrypt reads 72 bytes: longer passwords are refused, never silently truncated */
  passwordMaxBytes: 72,
  contentMax: 4000,
  roomNameMax: 40,
  historyDefault: 50,
  pageMax: 500,
  /** reconnect gap fill: beyond this the history says truncated and the client pages the rest */
  gapFillMax: 1000,
  /** a reply's quote of its parent */
  replyQuoteMax: 140,
  /** GET /api/changes and a `since` catch-up carry at most this many */
  changesMax: 1000,
  /** search results per page */
  searchDefault: 20,
  searchMax: 100,
  /** files attached to one message */
  filesPerMessage: 10,
  /** a file name's length (characters), after sanitising */
  fileNameMax: 200,
  /** a display name, in characters (the username stays the unique handle) */
  displayNameMax: 64,
  /** a profile's status line, in characters */
  statusMax: 140,
  /** the two sizes an avatar is stored at (square, in pixels) */
  avatarLarge: 256,
  avatarSmall: 64,
} as const;

export const DEFAULT_ROOM = "general";

/** where avatars are served: `${AVATAR_PATH}/<id>` (the id changes with every upload) */
export const AVATAR_PATH = "/api/avatars";

/** The URL an avatar's id is served at (null: no avatar). */
export const avatarUrlFor = (avatarId: string | null | undefined): string | null =>
  avatarId ? `${AVATAR_PATH}/${avatarId}` : null;

/** a file's bytes: `${FILES_PATH}/<id>`, its thumbnail `${FILES_PATH}/<id>/thumbnail` */
export const FILES_PATH = "/api/files";
