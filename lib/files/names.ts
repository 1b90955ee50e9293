// A file name as the uploader's browser or terminal sent it, made safe to show and to put in a
// Content-Disposition: no directories, no control or bidi-override characters, no characters that
// Windows refuses in a saved name; letters of every script are kept. Blobs are named by their hash, so a
// name never reaches the file system.
import { LIMITS } from "../protocol";

const FALLBACK = "file";
// C0/C1 controls, and the format characters (bidi overrides, zero-width joiners) that can disguise an extension
const INVISIBLE = /[\p{Cc}\p{Cf}\u2028\u2029]/gu;
const RESERVED = /[<>:"/\\|?*]/g;

export function sanitizeFileName(raw: string | undefined): string {
  const base = (raw ?? "").split(/[/\\]/).pop() ?? "";
  let name = base.normalize("NFC").replace(INVISIBLE, "").replace(RESERVED, "_").trim();
  // "..", "." and leading dots name nothing a person meant
  name = name.replace(/^\.+/, "").trim();
  if (!name) return FALLBACK;
  const chars = [...name];
  if (chars.length <= LIMITS.fileNameMax) return name;
  // keep the extension: it is what tells people what the file is
  const dot = name.lastIndexOf(".");
  const ext = dot > 0 && name.length - dot <= 16 ? [...name.slice(dot)] : [];
  return chars.slice(0, LIMITS.fileNameMax - ext.length).join("") + ext.join("");
}
