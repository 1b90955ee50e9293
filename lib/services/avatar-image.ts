// An uploaded avatar made safe to serve: the type sniffed from its bytes (never the name or the declared
// type), the header's dimensions checked before anything is decoded (a tiny PNG declaring 50,000 × 50,000
// pixels is refused there), then sharp decodes the first frame, turns it upright, crops it square and
// writes two WebP images without any metadata (sharp keeps none unless asked).
import type { Metadata } from "sharp";
import { AppError } from "../errors";
import { loadSharp } from "../files/load-sharp";
import { LIMITS } from "../protocol";

const ACCEPTED = new Set(["image/png", "image/jpeg", "image/gif", "image/webp"]);
/** larger photos than any phone takes, far below what would need hundreds of MB to decode */
export const AVATAR_MAX_PIXELS = 40_000_000;

export interface AvatarImages {
  large: Uint8Array;
  small: Uint8Array;
}

const unreadable = () => new AppError("invalid_input", "the file could not be read as an image");

async function checkedSize(bytes: Uint8Array): Promise<void> {
  const sharp = await loadSharp(); // outside the try: a library that fails to load is a server error
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    throw unreadable();
  }
  const { width = 0, height = 0 } = meta;
  if (width === 0 || height === 0) throw unreadable();
  if (width * height > AVATAR_MAX_PIXELS) {
    throw new AppError(
      "invalid_input",
      `the image is ${width} × ${height} pixels: at most ${AVATAR_MAX_PIXELS / 1_000_000} megapixels`,
    );
  }
}

async function square(bytes: Uint8Array, px: number): Promise<Buffer> {
  const sharp = await loadSharp();
  return sharp(bytes, { limitInputPixels: AVATAR_MAX_PIXELS })
    .rotate()
    .resize(px, px, { fit: "cover", position: "attention" })
    .webp({ quality: 82 })
    .toBuffer();
}

/** The 256 and 64 px squares of an uploaded image; anything else is an invalid_input AppError. */
export async function makeAvatar(bytes: Uint8Array): Promise<AvatarImages> {
  const { fileTypeFromBuffer } = await import("file-type"); // loaded on the first avatar, not at start-up
  const type = await fileTypeFromBuffer(bytes);
  if (!type || !ACCEPTED.has(type.mime)) {
    throw new AppError("invalid_input", "an avatar must be a PNG, JPEG, GIF or WebP image");
  }
  await checkedSize(bytes);
  try {
    const large = await square(bytes, LIMITS.avatarLarge);
    // the small one from the large: one decode of the original
    const small = await square(large, LIMITS.avatarSmall);
    return { large, small };
  } catch {
    throw unreadable();
  }
}
