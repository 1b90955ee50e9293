// Uploading in tests: a multipart POST through fetch, a raw chunked one that streams a body of any size
// without holding it, and small images made with sharp.
import { request } from "node:http";
import sharp from "sharp";
import type { FileInfo } from "@/lib/protocol";

export interface UploadResult {
  status: number;
  file?: FileInfo;
  detail?: string;
}

export async function uploadFile(
  base: string,
  token: string | undefined,
  bytes: Uint8Array | string,
  name: string,
  field = "file",
): Promise<UploadResult> {
  const form = new FormData();
  form.append(field, new Blob([typeof bytes === "string" ? bytes : new Uint8Array(bytes)]), name);
  const res = await fetch(`${base}/api/uploads`, {
    method: "POST",
    headers: token ? { authorization: `Bearer ${token}` } : {},
    body: form,
  });
  const body = (await res.json()) as { file?: FileInfo; detail?: string };
  return { status: res.status, ...body };
}

/**
 * Streams a multipart body of `total` file bytes in 64 KiB chunks, chunked (no Content-Length): the server
 * cannot know its size before it reads it. Stops writing once the answer has come (a refusal mid-stream) and
 * resolves with its status and body once that body has been read to its end.
 */
export function streamUpload(base: string, token: string, total: number): Promise<{ status: number; body: string }> {
  const boundary = "----chatterbox-test-boundary";
  const url = new URL("/api/uploads", base);
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": `multipart/form-data; boundary=${boundary}` },
    });
    let answered = false;
    req.on("response", (res) => {
      answered = true;
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      // the request is cut only after the answer is read: cut sooner (a `drain` can come between the
      // response's head and its end), the answer's end would never come and this would wait forever
      res.on("end", () => {
        resolve({ status: res.statusCode ?? 0, body });
        req.destroy();
      });
      res.on("close", () => {
        if (!res.complete) reject(new Error(`the answer (${res.statusCode}) was cut off before its end`));
      });
    });
    req.on("error", (err) => (answered ? undefined : reject(err)));
    req.write(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\n\r\n`);
    const chunk = Buffer.alloc(64 * 1024, 7);
    let sent = 0;
    const pump = () => {
      while (sent < total && !answered) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      if (!answered) req.end(`\r\n--${boundary}--\r\n`);
    };
    pump();
  });
}

export const png = (width: number, height: number, colour = "#3366cc") =>
  sharp({ create: { width, height, channels: 3, background: colour } })
    .png()
    .toBuffer();

/** A JPEG stored sideways with EXIF orientation 6 (displayed rotated 90°), and a GPS-ish comment in its EXIF. */
export const sidewaysJpeg = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: "#cc6633" } })
    .jpeg()
    .withMetadata({ orientation: 6, exif: { IFD0: { Copyright: "secret place" } } })
    .toBuffer();
