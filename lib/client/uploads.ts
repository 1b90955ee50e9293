// Uploads as both front ends see them: the answer of POST /api/uploads read with the protocol's schema, the
// refusals phrased for a person, and file sizes written the same way in the browser and the terminal. Each
// front end sends the bytes its own way (XMLHttpRequest for its progress events; node:http from a file).
import { errorBodySchema, uploadResponseSchema, type FileInfo } from "../protocol";
import { ApiError } from "./errors";

export interface UploadProgress {
  /** bytes sent so far */
  loaded: number;
  total: number;
}

/** The uploaded file, or an ApiError with the server's explanation (413: too large or storage full). */
export function uploadAnswer(status: number, body: unknown, clean: (s: string) => string = (s) => s): FileInfo {
  if (status === 201) {
    const parsed = uploadResponseSchema.safeParse(body);
    if (parsed.success) return parsed.data.file;
    throw new ApiError(status, "malformed answer from the server");
  }
  const refusal = errorBodySchema.safeParse(body);
  const detail = refusal.success ? refusal.data.detail : `the server answered HTTP ${status}`;
  throw new ApiError(status, clean(detail));
}

const UNITS = ["B", "KB", "MB", "GB", "TB"];

/** 1536 → "1.5 KB": decimal steps of 1024, one decimal below 10. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 10 ? 0 : 1;
  return `${value.toFixed(digits)} ${UNITS[unit]}`;
}
