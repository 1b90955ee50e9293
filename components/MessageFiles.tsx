"use client";
import { useState } from "react";
import { formatBytes } from "@/lib/client/uploads";
import { isInlineImage, type FileInfo } from "@/lib/protocol";
import { DownloadIcon, FileIcon } from "./icons";
import { Lightbox } from "./Lightbox";
import "./files.css";

/** the size an inline thumbnail takes before it loads (no jump when it does) */
const BOX = 240;

function boxOf(f: FileInfo): { width: number; height: number } {
  if (!f.width || !f.height) return { width: BOX, height: BOX };
  const scale = Math.min(1, BOX / Math.max(f.width, f.height));
  return { width: Math.max(1, Math.round(f.width * scale)), height: Math.max(1, Math.round(f.height * scale)) };
}

/** A message's files: images as thumbnails (click for the full size), everything else as a download card. */
export function MessageFiles({ files }: { files: FileInfo[] }) {
  const [open, setOpen] = useState<FileInfo | null>(null);
  if (files.length === 0) return null;
  const images = files.filter((f) => isInlineImage(f) && f.thumbnailUrl);
  const others = files.filter((f) => !images.includes(f));
  return (
    <div className="msg-files" data-testid="message-files">
      {images.length ? (
        <div className="msg-images">
          {images.map((f) => (
            <button
              key={f.id}
              type="button"
              className="msg-image"
              onClick={() => setOpen(f)}
              aria-label={`Open ${f.name} (${formatBytes(f.size)})`}
              data-testid="message-image"
            >
              <img src={f.thumbnailUrl} alt={f.name} loading="lazy" {...boxOf(f)} />
            </button>
          ))}
        </div>
      ) : null}
      {others.map((f) => (
        <FileCard key={f.id} file={f} />
      ))}
      {open ? <Lightbox file={open} onClose={() => setOpen(null)} /> : null}
    </div>
  );
}

/** A download card: icon, name, size and type. */
export function FileCard({ file }: { file: FileInfo }) {
  return (
    <a className="file-card" href={file.url} download={file.name} data-testid="file-card">
      <span className="file-card-icon">
        <FileIcon />
      </span>
      <span className="file-card-text">
        <span className="file-card-name">{file.name}</span>
        <span className="file-card-meta">
          {formatBytes(file.size)} · {kindOf(file.type)}
        </span>
      </span>
      <span className="file-card-download" aria-hidden="true">
        <DownloadIcon />
      </span>
    </a>
  );
}

/** "text/plain" → "TXT"-ish labels people recognise; the subtype otherwise. */
function kindOf(type: string): string {
  if (type === "application/octet-stream") return "file";
  if (type === "text/plain") return "text";
  const sub = type.split("/")[1] ?? type;
  return sub
    .replace(/^x-/, "")
    .replace(/^vnd\.[^.]+\./, "")
    .toUpperCase();
}
