"use client";
// The files waiting to go with the next message: each uploads as soon as it is chosen (button, drop or
// paste), with its progress and a cancel; the message takes those that finished. Images get a local
// preview while they upload.
import { useCallback, useEffect, useRef, useState } from "react";
import { LIMITS, type FileInfo } from "@/lib/protocol";
import { UploadAborted, uploadFile } from "@/lib/web/upload";

export interface PendingUpload {
  key: string;
  name: string;
  size: number;
  /** 0…1 */
  progress: number;
  state: "uploading" | "done" | "failed";
  /** an object URL of the local file, for images */
  preview?: string | undefined;
  file?: FileInfo | undefined;
  error?: string | undefined;
}

export interface Uploads {
  items: PendingUpload[];
  /** why files were not taken (too many) */
  notice: string | null;
  add: (files: readonly File[]) => void;
  /** cancels (or drops) one */
  remove: (key: string) => void;
  /** after sending: forgets every finished one */
  clear: () => void;
  /** the finished files, in the order chosen */
  ready: FileInfo[];
  busy: boolean;
}

let counter = 0;

/** `scope`: the conversation; when it changes, what was pending for the last one is cancelled */
export function useUploads(scope: string): Uploads {
  // the list lives in a ref (event handlers read and replace it) mirrored into state for rendering; no side
  // effect runs inside a state updater, which React may call twice
  const list = useRef<PendingUpload[]>([]);
  const [items, setItems] = useState<PendingUpload[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  const aborts = useRef(new Map<string, AbortController>());
  const previews = useRef(new Set<string>());

  const commit = useCallback((next: PendingUpload[]) => {
    list.current = next;
    setItems(next);
  }, []);
  const patch = useCallback(
    (key: string, change: Partial<PendingUpload>) =>
      commit(list.current.map((it) => (it.key === key ? { ...it, ...change } : it))),
    [commit],
  );

  const start = useCallback(
    (key: string, file: File) => {
      const controller = new AbortController();
      aborts.current.set(key, controller);
      const onProgress = ({ loaded, total }: { loaded: number; total: number }) =>
        patch(key, { progress: total > 0 ? loaded / total : 0 });
      uploadFile(file, onProgress, controller.signal)
        .then((info) => patch(key, { state: "done", progress: 1, file: info }))
        .catch((err: unknown) => {
          if (err instanceof UploadAborted) return;
          patch(key, { state: "failed", error: err instanceof Error ? err.message : String(err) });
        })
        .finally(() => aborts.current.delete(key));
    },
    [patch],
  );

  const add = useCallback(
    (files: readonly File[]) => {
      const room = Math.max(LIMITS.filesPerMessage - list.current.length, 0);
      setNotice(
        files.length > room
          ? `At most ${LIMITS.filesPerMessage} files in one message: ${files.length - room} left out.`
          : null,
      );
      const taken = files.slice(0, room).map((file) => {
        const preview = /^image\/(png|jpeg|gif|webp)$/.test(file.type) ? URL.createObjectURL(file) : undefined;
        if (preview) previews.current.add(preview);
        const item: PendingUpload = {
          key: `u${++counter}`,
          name: file.name,
          size: file.size,
          progress: 0,
          state: "uploading",
          preview,
        };
        return { item, file };
      });
      commit([...list.current, ...taken.map((t) => t.item)]);
      for (const { item, file } of taken) start(item.key, file);
    },
    [commit, start],
  );

  const forget = useCallback((item: PendingUpload) => {
    aborts.current.get(item.key)?.abort();
    if (item.preview) {
      URL.revokeObjectURL(item.preview);
      previews.current.delete(item.preview);
    }
  }, []);

  const remove = useCallback(
    (key: string) => {
      setNotice(null);
      const item = list.current.find((it) => it.key === key);
      if (item) forget(item);
      commit(list.current.filter((it) => it.key !== key));
    },
    [commit, forget],
  );

  const clear = useCallback(() => {
    setNotice(null);
    list.current.filter((it) => it.state !== "uploading").forEach(forget);
    commit(list.current.filter((it) => it.state === "uploading"));
  }, [commit, forget]);

  // another conversation: its composer starts with no files
  useEffect(() => {
    return () => {
      list.current.forEach(forget);
      commit([]);
      setNotice(null);
    };
  }, [scope, forget, commit]);

  // unmounting cancels what is still going and frees the previews
  useEffect(() => {
    const running = aborts.current;
    const urls = previews.current;
    return () => {
      running.forEach((c) => c.abort());
      urls.forEach((u) => URL.revokeObjectURL(u));
    };
  }, []);

  const ready = items.filter((it) => it.state === "done" && it.file).map((it) => it.file!);
  return { items, notice, add, remove, clear, ready, busy: items.some((it) => it.state === "uploading") };
}
