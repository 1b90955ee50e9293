// One file from a multipart/form-data body, parsed by busboy as it streams in: the one wrapper around busboy.
// `withFilePart` hands the part to a handler as a stream (uploads, written to disk as they arrive);
// `readFilePart` is built on it and holds the part in memory, cut off at `maxBytes` (avatars: a few MiB).
import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import busboy from "busboy";
import { AppError } from "../errors";

/** room for the multipart envelope around the file: boundaries, part headers, a long file name */
export const MULTIPART_OVERHEAD = 64 * 1024;

export type FileHandler<T> = (stream: Readable, name: string | undefined) => Promise<T>;

export interface UploadedFile {
  bytes: Buffer;
  /** as the client named it (never trusted for the type) */
  filename: string;
}

const notMultipart = (field: string) =>
  new AppError("invalid_input", `Send the file as multipart/form-data, in one part named ${field}`);

/**
 * Parses the body as it arrives and hands the part named `field` to `handle` as a stream; other parts are
 * skipped. busboy cuts the part after `maxBytes + 1` bytes, so the handler can tell a file that is too large.
 * Settles with `handle`'s result as soon as it settles (a refusal does not wait for the rest of the body,
 * which is then read and dropped).
 */
export function withFilePart<T>(req: Request, field: string, maxBytes: number, handle: FileHandler<T>): Promise<T> {
  const body = req.body ? Readable.fromWeb(req.body as NodeReadableStream<Uint8Array>) : Readable.from([]);
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: { "content-type": req.headers.get("content-type") ?? "" },
      // browsers send the file name as raw UTF-8
      defParamCharset: "utf8",
      limits: { files: 1, fields: 20, parts: 40, fieldSize: 4096, fileSize: maxBytes + 1 },
    });
  } catch {
    throw notMultipart(field);
  }
  return new Promise<T>((resolve, reject) => {
    let pending: Promise<T> | undefined;
    let part: Readable | undefined;
    const fail = (err: Error) => {
      body.unpipe(parser);
      body.resume();
      // a body cut off mid-file: the part ends too, so the handler removes what it wrote
      if (part && !part.readableEnded) part.destroy(err);
      reject(err);
    };
    parser.on("file", (name, stream, info) => {
      if (name !== field || pending) return void stream.resume();
      part = stream;
      pending = handle(stream, info.filename);
      pending.then(resolve, fail);
    });
    parser.on("close", () => {
      if (!pending) fail(new AppError("invalid_input", `No file in the upload: send one part named ${field}`));
    });
    parser.on("error", () => fail(new AppError("bad_request", "The upload is not valid multipart/form-data")));
    body.on("error", () => fail(new AppError("bad_request", "The upload was cut off before its end")));
    body.pipe(parser);
  });
}

/** The part named `field` of a multipart/form-data request, in memory: at most `maxBytes`, else 413. */
export async function readFilePart(req: Request, field: string, maxBytes: number): Promise<UploadedFile> {
  if (!/^multipart\/form-data\b/i.test(req.headers.get("content-type") ?? "") || !req.body) throw notMultipart(field);
  const tooLarge = new AppError("too_large", `The file is too large (at most ${maxBytes} bytes)`);
  // a body far beyond the cap is refused unread
  if (Number(req.headers.get("content-length") ?? 0) > maxBytes + MULTIPART_OVERHEAD) throw tooLarge;
  const file = await withFilePart(req, field, maxBytes, async (stream, filename = "") => {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxBytes) throw tooLarge;
      chunks.push(chunk);
    }
    return { bytes: Buffer.concat(chunks), filename };
  });
  if (file.bytes.length === 0) throw new AppError("invalid_input", `send the file in a part named ${field}`);
  return file;
}
