// POST /api/uploads (multipart, one part `file`, streamed through busboy to the file service) and GET
// /api/files/<id>[/thumbnail] (the bytes, to whoever the service says may read them, with the headers of
// file-headers.ts and single-range requests).
import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import busboy from "busboy";
import { AppError } from "../errors";
import { fileIdSchema } from "../protocol";
import { getRuntime } from "../runtime";
import type { OpenedFile } from "../services/files";
import { contentDisposition, FILE_SECURITY_HEADERS, parseRange } from "./file-headers";
import { assertSameOrigin } from "./guard";
import { errorResponse, json, route } from "./respond";
import type { RouteContext } from "./routes";
import { requireIdentity } from "./session";

/** room for the multipart envelope around the file: boundaries, part headers, a long file name */
const MULTIPART_OVERHEAD = 64 * 1024;

type FileHandler<T> = (stream: Readable, name: string | undefined) => Promise<T>;

/**
 * Parses the body as it arrives and hands the part named `file` to `handle` as a stream; other parts are
 * skipped. Settles with `handle`'s result as soon as it settles (a refusal does not wait for the rest of the
 * body, which is then read and dropped).
 */
function withFilePart<T>(req: Request, maxBytes: number, handle: FileHandler<T>): Promise<T> {
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
    throw new AppError("invalid_input", "Send the file as multipart/form-data, in one part named file");
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
    parser.on("file", (field, stream, info) => {
      if (field !== "file" || pending) return void stream.resume();
      part = stream;
      pending = handle(stream, info.filename);
      pending.then(resolve, fail);
    });
    parser.on("close", () => {
      if (!pending) fail(new AppError("invalid_input", "No file in the upload: send one part named file"));
    });
    parser.on("error", () => fail(new AppError("bad_request", "The upload is not valid multipart/form-data")));
    body.on("error", () => fail(new AppError("bad_request", "The upload was cut off before its end")));
    body.pipe(parser);
  });
}

/** POST /api/uploads → 201 {file} */
export const upload = route(async (req: Request) => {
  assertSameOrigin(req);
  const { services } = getRuntime();
  const me = await requireIdentity(req, services.auth);
  await services.throttles.message(me.userId);
  if (!/^multipart\/form-data/i.test(req.headers.get("content-type") ?? "")) {
    throw new AppError("invalid_input", "Send the file as multipart/form-data, in one part named file");
  }
  const { max, refusal } = await services.files.allowance(me);
  // a body that says it is too large is refused before a byte of it is read
  if (Number(req.headers.get("content-length") ?? 0) > max + MULTIPART_OVERHEAD) {
    throw new AppError("too_large", refusal);
  }
  const file = await withFilePart(req, services.files.maxBytes, (stream, name) =>
    services.files.upload(me, { stream, name }),
  );
  return json({ file }, { status: 201 });
});

function fileResponse(req: Request, file: OpenedFile): Response {
  const etag = `"${file.etag}"`;
  const headers = new Headers({
    ...FILE_SECURITY_HEADERS,
    "Content-Type": file.type,
    "Content-Disposition": contentDisposition(file.inline ? "inline" : "attachment", file.name),
    "Accept-Ranges": "bytes",
    // access can end (the message deleted, the user gone from the room): caches ask again every time
    "Cache-Control": "private, no-cache, no-transform",
    ETag: etag,
  });
  if (req.headers.get("if-none-match") === etag) return new Response(null, { status: 304, headers });
  const range = parseRange(req.headers.get("range"), file.size);
  if (range.kind === "unsatisfiable") {
    headers.set("Content-Range", `bytes */${file.size}`);
    return new Response(null, { status: 416, headers });
  }
  const { start, end } = range.kind === "partial" ? range : { start: 0, end: file.size - 1 };
  headers.set("Content-Length", String(end - start + 1));
  if (range.kind === "partial") headers.set("Content-Range", `bytes ${start}-${end}/${file.size}`);
  const stream = Readable.toWeb(createReadStream(file.path, { start, end })) as ReadableStream<Uint8Array>;
  return new Response(stream, { status: range.kind === "partial" ? 206 : 200, headers });
}

/** GET /api/files/<id> and /api/files/<id>/thumbnail: refusals carry the file headers too */
function serve(variant: "file" | "thumbnail") {
  return async (req: Request, ctx: RouteContext): Promise<Response> => {
    try {
      const { services } = getRuntime();
      const me = await requireIdentity(req, services.auth);
      const id = fileIdSchema.safeParse((await ctx.params).id);
      if (!id.success) throw new AppError("not_found", "No such file");
      return fileResponse(req, await services.files.open(me, id.data, variant));
    } catch (err) {
      const res = errorResponse(err);
      for (const [k, v] of Object.entries(FILE_SECURITY_HEADERS)) res.headers.set(k, v);
      return res;
    }
  };
}

export const serveFile = serve("file");
export const serveThumbnail = serve("thumbnail");
