// What sharp does with an uploaded image (PNG, JPEG, GIF, WebP, by its bytes): read its displayed size
// (EXIF orientation applied) and make a small WebP thumbnail with no metadata. Input pixels are bounded, so a
// decompression bomb (a tiny file that decodes to gigapixels) is refused before it is decoded. sharp works
// on libuv's thread pool: the event loop never waits on it.
import type { Metadata, SharpOptions } from "sharp";
import { loadSharp } from "./load-sharp";

const sharp = async (input: string, options: SharpOptions) => (await loadSharp())(input, options);

export const THUMBNAIL_SIZE = 480;

export class ImageRefused extends Error {
  override name = "ImageRefused";
}

export interface ImageFacts {
  width: number;
  height: number;
}

/** The displayed size; ImageRefused when it has more than `maxPixels` or cannot be read. */
export async function readImage(file: string, maxPixels: number): Promise<ImageFacts> {
  const tooLarge = new ImageRefused(
    `the image is too large to show (more than ${maxPixels.toLocaleString("en")} pixels)`,
  );
  let meta: Metadata;
  try {
    meta = await (await sharp(file, { limitInputPixels: maxPixels })).metadata();
  } catch (err) {
    if (err instanceof Error && /pixel limit/i.test(err.message)) throw tooLarge;
    throw new ImageRefused("the image could not be read: it may be damaged");
  }
  const { width, height } = meta.autoOrient;
  if (!width || !height) throw new ImageRefused("the image could not be read: it has no size");
  // metadata() reads only the header; sharp enforces the limit when decoding, so it is checked here as well
  if (width * height > maxPixels) throw tooLarge;
  return { width, height };
}

/** Writes a WebP thumbnail of `file` to `out`: upright, at most THUMBNAIL_SIZE a side, metadata stripped. */
export async function writeThumbnail(file: string, out: string, maxPixels: number): Promise<void> {
  try {
    await (
      await sharp(file, { limitInputPixels: maxPixels })
    )
      .rotate()
      .resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: "inside", withoutEnlargement: true })
      .webp({ quality: 80 })
      .toFile(out);
  } catch {
    throw new ImageRefused("the image could not be read: it may be damaged");
  }
}
