// Uploading a file from the terminal: POST /api/uploads with the token, the multipart body streamed from
// the file (never read whole), and how far it has got reported as it goes.
import { randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { NetworkError } from "../lib/client/errors";
import { uploadAnswer, type UploadProgress } from "../lib/client/uploads";
import { UPLOADS_PATH, type FileInfo } from "../lib/protocol";
import { sanitizeInline } from "./sanitize";

/** A file that cannot be uploaded as named (missing, a directory): said before anything is sent. */
export class UploadSourceError extends Error {
  override name = "UploadSourceError";
}

async function fileSize(file: string): Promise<number> {
  const info = await stat(file).catch(() => null);
  if (!info) throw new UploadSourceError(`no such file: ${file}`);
  if (!info.isFile()) throw new UploadSourceError(`not a file: ${file}`);
  return info.size;
}

/** The part's header: the name as the server should see it, quoted as browsers do (RFC 7578 §4.2). */
const partHeader = (boundary: string, name: string) =>
  `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name.replace(/"/g, "%22").replace(/[\r\n]/g, " ")}"\r\n` +
  `Content-Type: application/octet-stream\r\n\r\n`;

/** The multipart body: header, the file's bytes as they are read (counted), trailer. */
function multipartBody(file: string, boundary: string, onBytes: (n: number) => void): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const source = createReadStream(file, { highWaterMark: 256 * 1024 });
  const iterator = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let stage: "head" | "body" | "done" = "head";
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (stage === "head") {
        stage = "body";
        return controller.enqueue(encoder.encode(partHeader(boundary, path.basename(file))));
      }
      if (stage === "done") return controller.close();
      const next = await iterator.next();
      if (next.done) {
        stage = "done";
        return controller.enqueue(encoder.encode(`\r\n--${boundary}--\r\n`));
      }
      onBytes(next.value.length);
      controller.enqueue(new Uint8Array(next.value));
    },
    cancel() {
      source.destroy();
    },
  });
}

export async function uploadFromPath(
  serverUrl: string,
  token: string,
  file: string,
  onProgress: (p: UploadProgress) => void,
): Promise<FileInfo> {
  const total = await fileSize(file);
  const boundary = `chatterbox-${randomBytes(12).toString("hex")}`;
  let loaded = 0;
  const body = multipartBody(file, boundary, (n) => onProgress({ loaded: (loaded += n), total }));
  let response: Response;
  try {
    response = await fetch(new URL(UPLOADS_PATH, `${serverUrl}/`), {
      method: "POST",
      headers: {
        authorization: `Bearer ${token}`,
        accept: "application/json",
        "content-type": `multipart/form-data; boundary=${boundary}`,
      },
      body,
      duplex: "half",
    } as RequestInit);
  } catch (err) {
    throw new NetworkError(serverUrl, err instanceof Error ? err.message : String(err));
  }
  const text = await response.text().catch(() => "");
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return uploadAnswer(response.status, parsed, sanitizeInline);
}
