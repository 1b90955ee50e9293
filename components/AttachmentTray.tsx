"use client";
import type { PendingUpload, Uploads } from "@/hooks/useUploads";
import { formatBytes } from "@/lib/client/uploads";
import { FileIcon } from "./icons";
import "./files.css";

/** The files going with the next message, above the composer: each with its progress and a cancel. */
export function AttachmentTray({ uploads }: { uploads: Uploads }) {
  if (uploads.items.length === 0 && !uploads.notice) return null;
  return (
    <div className="attachment-tray" data-testid="attachment-tray">
      {uploads.notice ? (
        <div className="inline-error" role="alert">
          {uploads.notice}
        </div>
      ) : null}
      <ul>
        {uploads.items.map((item) => (
          <AttachmentChip key={item.key} item={item} onRemove={() => uploads.remove(item.key)} />
        ))}
      </ul>
    </div>
  );
}

function AttachmentChip({ item, onRemove }: { item: PendingUpload; onRemove: () => void }) {
  const percent = Math.round(item.progress * 100);
  return (
    <li className="attachment" data-state={item.state} data-testid="attachment">
      <span className="attachment-thumb">{item.preview ? <img src={item.preview} alt="" /> : <FileIcon />}</span>
      <span className="attachment-text">
        <span className="attachment-name">{item.name}</span>
        {item.state === "failed" ? (
          <span className="attachment-error" role="alert">
            {item.error}
          </span>
        ) : (
          <span className="attachment-meta">
            {formatBytes(item.size)}
            {item.state === "uploading" ? ` · ${percent}%` : ""}
          </span>
        )}
        {item.state === "uploading" ? (
          <progress max={100} value={percent} aria-label={`Uploading ${item.name}`} />
        ) : null}
      </span>
      <button
        type="button"
        className="icon-button"
        onClick={onRemove}
        aria-label={item.state === "uploading" ? `Cancel upload of ${item.name}` : `Remove ${item.name}`}
        title={item.state === "uploading" ? "Cancel upload" : "Remove"}
      >
        ×
      </button>
    </li>
  );
}
