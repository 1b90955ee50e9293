"use client";
import type { Density } from "@/hooks/useDensity";
import { DensityIcon } from "./icons";

/** Compact or comfortable message list: a toggle button in the top bar. */
export function DensityToggle({ density, onChange }: { density: Density; onChange: (next: Density) => void }) {
  const compact = density === "compact";
  return (
    <button
      type="button"
      className="ghost icon-toggle density-toggle"
      aria-pressed={compact}
      title={compact ? "Compact message list (on)" : "Compact message list (off)"}
      onClick={() => onChange(compact ? "comfortable" : "compact")}
    >
      <DensityIcon />
      <span className="sr-only">Compact message list</span>
    </button>
  );
}
