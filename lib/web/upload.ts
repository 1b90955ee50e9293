// One upload from the browser: POST /api/uploads with the session cookie, through XMLHttpRequest because
// fetch reports no upload progress. Aborting (the × on its chip) stops the transfer; the server keeps
// nothing of a body it did not receive whole.
import { ApiError, NetworkError } from "../client/errors";
import { uploadAnswer, type UploadProgress } from "../client/uploads";
import { UPLOADS_PATH, type FileInfo } from "../protocol";

export class UploadAborted extends Error {
  override name = "UploadAborted";
}

export function uploadFile(
  file: File,
  onProgress: (p: UploadProgress) => void,
  signal: AbortSignal,
): Promise<FileInfo> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", UPLOADS_PATH);
    xhr.responseType = "json";
    xhr.setRequestHeader("accept", "application/json");
    xhr.upload.onprogress = (e) => onProgress({ loaded: e.loaded, total: e.lengthComputable ? e.total : file.size });
    xhr.onload = () => {
      try {
        resolve(uploadAnswer(xhr.status, xhr.response));
      } catch (err) {
        reject(err instanceof Error ? err : new ApiError(xhr.status, String(err)));
      }
    };
    xhr.onerror = () => reject(new NetworkError("this page's server", "the upload was cut off"));
    xhr.onabort = () => reject(new UploadAborted("upload cancelled"));
    signal.addEventListener("abort", () => xhr.abort(), { once: true });
    const form = new FormData();
    form.append("file", file, file.name);
    xhr.send(form);
  });
}
