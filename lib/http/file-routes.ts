// POST /api/uploads (multipart, one part `file`, streamed through busboy to the file service) and GET
// /api/files/<id>[/thumbnail] (the bytes, to whoever the service says may read them, with the headers of
// file-headers.ts and single-range requests).
import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import { AppError } from "../errors";
import { fileIdSchema } from "../protocol";
import { getRuntime } from "../runtime";
import type { OpenedFile } from "../services/files";
import { contentDisposition, FILE_SECURITY_HEADERS, parseRange } from "./file-headers";
import { assertSameOrigin } from "./guard";
import { MULTIPART_OVERHEAD, withFilePart } from "./multipart";
import { errorResponse, json, route } from "./respond";
import type { RouteContext } from "./routes";
import { requireIdentity } from "./session";

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
  const file = await withFilePart(req, "file", services.files.maxBytes, (stream, name) =>
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
