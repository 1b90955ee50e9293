// The upload directory: blobs named by the SHA-256 of their bytes (`blobs/<hash>`, so the same bytes are
// stored once), their thumbnails (`thumbnails/<hash>.webp`), and `tmp/` where an upload streams until it is
// complete. Every write lands in tmp/ first and is renamed into place, so a blob is never half there.
import { createHash, randomBytes } from "node:crypto";
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdir, opendir, rename, rm, stat, utimes } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { SNIFF_BYTES } from "./sniff";

/** The stream was longer than allowed: the partial file is already removed. */
export class TooLarge extends Error {
  override name = "TooLarge";
}

export interface Received {
  /** the temp file holding the bytes */
  file: string;
  size: number;
  hash: string;
  /** the first SNIFF_BYTES bytes */
  head: Buffer;
}

const exists = (file: string) =>
  stat(file).then(
    () => true,
    () => false,
  );

export function createBlobStore(root: string) {
  const dirs = {
    blobs: path.join(root, "blobs"),
    thumbnails: path.join(root, "thumbnails"),
    tmp: path.join(root, "tmp"),
  };
  const ready = Promise.all(Object.values(dirs).map((d) => mkdir(d, { recursive: true })));
  const tempName = () => path.join(dirs.tmp, randomBytes(12).toString("hex"));

  /** Streams `source` to a temp file, hashing it; past `maxBytes` it stops, removes the file and throws TooLarge. */
  async function receive(source: Readable, maxBytes: number): Promise<Received> {
    await ready;
    const file = tempName();
    const out = createWriteStream(file, { flags: "wx" });
    // a write that fails (a full disk), or that completes after the stream was destroyed because the client
    // went away, is an 'error' on the stream: without a listener it would end the process
    let failed: Error | undefined;
    out.on("error", (err: Error) => {
      failed ??= err;
    });
    const hash = createHash("sha256");
    const head: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of source as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > maxBytes) throw new TooLarge();
        if (size - chunk.length < SNIFF_BYTES) head.push(chunk);
        hash.update(chunk);
        // once(): rejects if the stream fails while this waits, rather than waiting for ever
        if (!out.write(chunk)) await once(out, "drain");
        if (failed) throw failed;
      }
      await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    } catch (err) {
      out.destroy();
      source.resume(); // whatever is left is read and dropped, not kept
      await rm(file, { force: true });
      throw err;
    }
    return { file, size, hash: hash.digest("hex"), head: Buffer.concat(head).subarray(0, SNIFF_BYTES) };
  }

  const blobPath = (hash: string) => path.join(dirs.blobs, hash);
  const thumbnailPath = (hash: string) => path.join(dirs.thumbnails, `${hash}.webp`);

  return {
    receive,
    blobPath,
    thumbnailPath,
    /** Moves a received file to its blob; the same bytes stored before keep theirs (touched: the sweep spares it). */
    async keep(received: Received): Promise<{ path: string; isNew: boolean }> {
      const target = blobPath(received.hash);
      if (await exists(target)) {
        await rm(received.file, { force: true });
        const now = new Date();
        await utimes(target, now, now);
        return { path: target, isNew: false };
      }
      await rename(received.file, target);
      return { path: target, isNew: true };
    },
    /** Makes the thumbnail with `write(tmp)` unless there is one; renamed into place when complete. */
    async thumbnail(hash: string, write: (out: string) => Promise<void>): Promise<void> {
      const target = thumbnailPath(hash);
      if (await exists(target)) return;
      const tmp = `${tempName()}.webp`;
      try {
        await write(tmp);
        await rename(tmp, target);
      } finally {
        await rm(tmp, { force: true });
      }
    },
    async discard(file: string): Promise<void> {
      await rm(file, { force: true });
    },
    /** size in bytes, or null when there is no such file */
    size: (file: string) =>
      stat(file).then(
        (s) => s.size,
        () => null,
      ),
    /**
     * Removes blobs (and thumbnails) whose hash `keep` refuses and temp files, each last touched before
     * `olderThan`. Reads the directories a batch at a time (opendir): a million blobs never block the loop.
     */
    async sweep(keep: (hash: string) => boolean, olderThan: Date): Promise<number> {
      await ready;
      let removed = 0;
      const walk = async (dir: string, hashOf: (name: string) => string | null) => {
        for await (const entry of await opendir(dir, { bufferSize: 128 })) {
          const hash = hashOf(entry.name);
          if (hash !== null && keep(hash)) continue;
          const file = path.join(dir, entry.name);
          const info = await stat(file).catch(() => null);
          if (!info || info.mtime >= olderThan) continue;
          await rm(file, { force: true });
          removed++;
        }
      };
      await walk(dirs.blobs, (name) => name);
      await walk(dirs.thumbnails, (name) => name.replace(/\.webp$/, ""));
      await walk(dirs.tmp, () => null);
      return removed;
    },
  };
}
export type BlobStore = ReturnType<typeof createBlobStore>;
