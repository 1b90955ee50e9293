// File sharing: uploads (streamed to the blob store, typed by their bytes, images measured and thumbnailed),
// who may read a file, the files a message may carry, and the sweep of what nobody can read any more. Knows
// nothing of HTTP: the transport hands it the file's stream and name, and serves what `open` answers.
import { randomBytes } from "node:crypto";
import type { Readable } from "node:stream";
import type { MessageQueries, UploadQueries, UploadRecord } from "../db/data-layer";
import { toFileInfo } from "../db/upload-rows";
import { AppError } from "../errors";
import { createBlobStore, TooLarge } from "../files/blob-store";
import { ImageRefused, readImage, writeThumbnail } from "../files/images";
import { sanitizeFileName } from "../files/names";
import { sniffType } from "../files/sniff";
import { isInlineImage, type FileInfo } from "../protocol";
import type { Identity } from "./auth";
import type { RoomService } from "./rooms";

export interface FileConfig {
  uploadDir: string;
  UPLOAD_MAX_BYTES: number;
  UPLOAD_QUOTA_BYTES: number;
  UPLOAD_MAX_PIXELS: number;
  UPLOAD_UNSENT_TTL: number;
  UPLOAD_SWEEP_INTERVAL: number;
}

export interface FileDeps {
  uploads: UploadQueries;
  messages: MessageQueries;
  rooms: RoomService;
  config: FileConfig;
  log: (msg: string, err?: unknown) => void;
}

/** What a transport needs to serve a file. */
export interface OpenedFile {
  path: string;
  size: number;
  type: string;
  name: string;
  /** a browser may show it in the page (PNG, JPEG, GIF, WebP by their bytes); anything else is an attachment */
  inline: boolean;
  /** changes when the bytes do */
  etag: string;
}

/** a blob or temp file younger than this is never swept: an upload may be between writing it and its row */
const SWEEP_GRACE_MS = 10 * 60 * 1000;

const mib = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB`;

export function createFileService(deps: FileDeps) {
  const { uploads, config } = deps;
  const store = createBlobStore(config.uploadDir);
  const notFound = () => new AppError("not_found", "No such file");

  /** the most this user may upload now, and what to say past it */
  async function allowance(user: Identity): Promise<{ max: number; refusal: string }> {
    const tooBig = `The file is too large: at most ${mib(config.UPLOAD_MAX_BYTES)} per file`;
    if (config.UPLOAD_QUOTA_BYTES === 0) return { max: config.UPLOAD_MAX_BYTES, refusal: tooBig };
    const left = config.UPLOAD_QUOTA_BYTES - (await uploads.bytesOf(user.userId));
    const full = `Your storage is full: ${mib(Math.max(0, left))} left of your ${mib(config.UPLOAD_QUOTA_BYTES)}`;
    if (left <= 0) throw new AppError("too_large", full);
    return left < config.UPLOAD_MAX_BYTES
      ? { max: left, refusal: full }
      : { max: config.UPLOAD_MAX_BYTES, refusal: tooBig };
  }

  /** width and height, and a thumbnail, for an image; ImageRefused (the blob dropped if new) when unreadable */
  async function measure(blob: { path: string; isNew: boolean }, hash: string) {
    try {
      const size = await readImage(blob.path, config.UPLOAD_MAX_PIXELS);
      await store.thumbnail(hash, (out) => writeThumbnail(blob.path, out, config.UPLOAD_MAX_PIXELS));
      return size;
    } catch (err) {
      if (blob.isNew) await store.discard(blob.path);
      if (err instanceof ImageRefused) throw new AppError("invalid_input", `Upload refused: ${err.message}`);
      throw err;
    }
  }

  return {
    /** the most one file may be, for a transport's early refusal of a body that says it is larger */
    maxBytes: config.UPLOAD_MAX_BYTES,

    /** Checks the quota before anything is read: a full account is refused at once. */
    allowance,

    /** Streams one file to the store; resolves with what a message will carry. */
    async upload(user: Identity, file: { stream: Readable; name: string | undefined }): Promise<FileInfo> {
      const { max, refusal } = await allowance(user);
      let received;
      try {
        received = await store.receive(file.stream, max);
      } catch (err) {
        if (err instanceof TooLarge) throw new AppError("too_large", refusal);
        throw err;
      }
      if (received.size === 0) {
        await store.discard(received.file);
        throw new AppError("invalid_input", "The file is empty");
      }
      const type = await sniffType(received.head);
      const blob = await store.keep(received);
      const image = isInlineImage({ type }) ? await measure(blob, received.hash) : null;
      const row = await uploads.createUpload({
        id: randomBytes(16).toString("base64url"),
        userId: user.userId,
        name: sanitizeFileName(file.name),
        size: received.size,
        type,
        hash: received.hash,
        width: image?.width ?? null,
        height: image?.height ?? null,
        thumbnail: image !== null,
      });
      return toFileInfo(row);
    },

    /**
     * The files a message of `user` may carry are their own uploads. Whether one is sent already the message
     * writer decides, in its transaction: a retry of the message that sent it gets that message back.
     */
    async checkAttachable(this: void, user: Identity, ids: string[]): Promise<void> {
      const found = new Map((await uploads.findUploads(ids)).map((u) => [u.id, u]));
      for (const id of ids) {
        const u = found.get(id);
        if (!u || u.userId !== user.userId) throw new AppError("not_found", `No upload ${id} of yours to send`);
      }
    },

    /**
     * A file `user` may read: their own before it is sent; once sent, anyone who may read its message's
     * room. Everything else — a deleted message's file included — is not found.
     */
    async open(user: Identity, id: string, variant: "file" | "thumbnail"): Promise<OpenedFile> {
      const upload = await uploads.findUpload(id);
      if (!upload || !(await mayRead(user, upload))) throw notFound();
      if (variant === "thumbnail" && !upload.thumbnail) throw notFound();
      const path = variant === "file" ? store.blobPath(upload.hash) : store.thumbnailPath(upload.hash);
      const size = await store.size(path);
      if (size === null) throw notFound();
      const type = variant === "file" ? upload.type : "image/webp";
      const etag = `${upload.hash.slice(0, 32)}${variant === "thumbnail" ? "-t" : ""}`;
      return { path, size, type, name: upload.name, inline: isInlineImage({ type }), etag };
    },

    /** Removes unsent uploads past UPLOAD_UNSENT_TTL, then every blob no upload names. */
    async sweep(now = new Date()): Promise<{ uploads: number; blobs: number }> {
      const removed = await uploads.deleteUnsentBefore(new Date(now.getTime() - config.UPLOAD_UNSENT_TTL * 1000));
      const live = await uploads.referencedHashes();
      const blobs = await store.sweep((hash) => live.has(hash), new Date(now.getTime() - SWEEP_GRACE_MS));
      return { uploads: removed, blobs };
    },
  };

  async function mayRead(user: Identity, upload: UploadRecord): Promise<boolean> {
    if (upload.messageId === null) return upload.userId === user.userId;
    const found = await deps.messages.findMessage(upload.messageId);
    if (!found || found.message.deleted) return false;
    return deps.rooms.memberRoom(user, found.message.room).then(
      () => true,
      () => false,
    );
  }
}
export type FileService = ReturnType<typeof createFileService>;

/** Runs the sweep every UPLOAD_SWEEP_INTERVAL; the returned function stops it. */
export function scheduleSweep(files: FileService, config: FileConfig, log: FileDeps["log"]): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    files
      .sweep()
      .catch((err: unknown) => log("upload sweep failed", err))
      .finally(() => (running = false));
  }, config.UPLOAD_SWEEP_INTERVAL * 1000).unref();
  return () => clearInterval(timer);
}
