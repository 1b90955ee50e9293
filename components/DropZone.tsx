"use client";
import { useRef, useState, type DragEvent, type ReactNode } from "react";

interface Props {
  className: string;
  label: string;
  /** where dropped files go; without it nothing can be dropped here */
  onFiles: ((files: File[]) => void) | undefined;
  children: ReactNode;
}

const carriesFiles = (e: DragEvent) => e.dataTransfer.types.includes("Files");

/** The conversation as a drop target: files dragged over it show a hint, dropped ones are uploaded. */
export function DropZone({ className, label, onFiles, children }: Props) {
  const [over, setOver] = useState(false);
  // dragenter/leave fire for every child crossed: count them, so the hint does not flicker
  const depth = useRef(0);
  const enabled = onFiles !== undefined;
  return (
    <main
      className={className}
      aria-label={label}
      data-dragging={over ? "true" : undefined}
      onDragEnter={(e) => {
        if (!enabled || !carriesFiles(e)) return;
        depth.current++;
        setOver(true);
      }}
      onDragOver={(e) => {
        if (!enabled || !carriesFiles(e)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = "copy";
      }}
      onDragLeave={(e) => {
        if (!enabled || !carriesFiles(e)) return;
        depth.current = Math.max(0, depth.current - 1);
        if (depth.current === 0) setOver(false);
      }}
      onDrop={(e) => {
        if (!enabled || !carriesFiles(e)) return;
        e.preventDefault();
        depth.current = 0;
        setOver(false);
        onFiles([...e.dataTransfer.files]);
      }}
    >
      {children}
      {over ? (
        <div className="drop-hint" aria-hidden="true">
          Drop files to share them here
        </div>
      ) : null}
    </main>
  );
}
