// sharp (libvips, a native library) is loaded on the first image, not at start-up: importing it costs every
// server start over 100 ms, and most starts handle no image for a while.
import type sharpFactory from "sharp";

type SharpFactory = typeof sharpFactory;

let loaded: Promise<SharpFactory> | undefined;

export function loadSharp(): Promise<SharpFactory> {
  loaded ??= import("sharp").then(
    ({ default: sharp }) => {
      // a decoded image kept in libvips' cache is memory no later request needs
      sharp.cache(false);
      return sharp;
    },
    (err: unknown) => {
      loaded = undefined; // a server error now, and tried again next time
      throw err;
    },
  );
  return loaded;
}
