// Images for avatar tests: real ones made with sharp, and hostile ones made byte by byte.
import { crc32, deflateSync } from "node:zlib";
import sharp from "sharp";

/** A real PNG of `width` × `height` in one colour. */
export function pngOf(width: number, height: number, colour = { r: 200, g: 40, b: 90 }): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: colour } })
    .png()
    .toBuffer();
}

/** A JPEG carrying EXIF metadata (a camera's make), to check the stored avatar keeps none. */
export function jpegWithExif(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 10, g: 120, b: 200 } } })
    .withExif({ IFD0: { Make: "SecretCam", Copyright: "Private Person" } })
    .jpeg()
    .toBuffer();
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body) >>> 0);
  return Buffer.concat([length, body, crc]);
}

/**
 * A decompression bomb: a valid PNG of a few hundred bytes whose header declares `width` × `height` pixels
 * (8-bit greyscale), with a little compressed data of zero rows behind it.
 */
export function pngBomb(width = 50_000, height = 50_000): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 0, 0, 0, 0], 8); // bit depth 8, greyscale, deflate, filter 0, no interlace
  const rows = deflateSync(Buffer.alloc((width + 1) * 4), { level: 9 });
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", rows),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** POST /api/me/avatar with one multipart part named `field`. */
export function uploadAvatar(
  url: string,
  token: string,
  bytes: Uint8Array,
  opts: { type?: string; filename?: string; field?: string } = {},
): Promise<Response> {
  const form = new FormData();
  const blob = new Blob([new Uint8Array(bytes)], { type: opts.type ?? "image/png" });
  form.append(opts.field ?? "file", blob, opts.filename ?? "avatar.png");
  return fetch(`${url}/api/me/avatar`, { method: "POST", headers: { authorization: `Bearer ${token}` }, body: form });
}
