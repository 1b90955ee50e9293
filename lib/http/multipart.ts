// One file from a multipart/form-data body, parsed by busboy as it streams in and cut off at `maxBytes`:
// a larger file is refused (413) without being held, and nothing of it is kept.
import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import busboy from "busboy";
import { AppError } from "../errors";

export interface UploadedFile {
  bytes: Buffer;
  /** as the client named it (never trusted for the type) */
  filename: string;
}

const tooLarge = (max: number) => new AppError("too_large", `The file is too large (at most ${max} bytes)`);

/** The part named `field` of a multipart/form-data request, at most `maxBytes`. */
export async function readFilePart(req: Request, field: string, maxBytes: number): Promise<UploadedFile> {
  const contentType = req.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data\b/i.test(contentType) || !req.body) {
    throw new AppError("invalid_input", `send the file as multipart/form-data, in a part named ${field}`);
  }
  // the envelope (boundaries, part headers) is small: a body far beyond the cap is refused unread
  if (Number(req.headers.get("content-length") ?? 0) > maxBytes + 64 * 1024) throw tooLarge(maxBytes);
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: { "content-type": contentType },
      limits: { files: 1, fileSize: maxBytes, fields: 10, parts: 12 },
    });
  } catch {
    throw new AppError("invalid_input", "the multipart body is malformed");
  }
  const body = Readable.fromWeb(req.body as NodeReadableStream<Uint8Array>);
  return new Promise<UploadedFile>((resolve, reject) => {
    let found: UploadedFile | undefined;
    let failed: AppError | undefined;
    const fail = (err: AppError) => {
      failed ??= err;
      body.unpipe(parser);
      body.destroy();
      reject(failed);
    };
    parser.on("file", (name, stream, info) => {
      if (name !== field) return void stream.resume();
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("limit", () => fail(tooLarge(maxBytes)));
      stream.on("end", () => {
        if (!failed) found = { bytes: Buffer.concat(chunks), filename: info.filename ?? "" };
      });
    });
    parser.on("error", () => fail(new AppError("invalid_input", "the multipart body is malformed")));
    parser.on("close", () => {
      if (failed) return;
      if (!found || found.bytes.length === 0) {
        return reject(new AppError("invalid_input", `send the file in a part named ${field}`));
      }
      resolve(found);
    });
    body.on("error", () => fail(new AppError("bad_request", "the upload was interrupted")));
    body.pipe(parser);
  });
}
