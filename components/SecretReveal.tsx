"use client";
import { useId, useState } from "react";
import { copyText } from "@/lib/web/clipboard";

/** A secret shown once (a webhook URL, an API token): read-only, selected on focus, with a Copy button. */
export function SecretReveal({ label, value }: { label: string; value: string }) {
  const id = useId();
  const [copied, setCopied] = useState<string | null>(null);
  const copy = async () => setCopied((await copyText(value)) ? "Copied" : "Could not copy: select it and copy by hand");
  return (
    <div className="secret-reveal" data-testid="secret-reveal">
      <label htmlFor={id}>{label}</label>
      <div className="secret-row">
        <input id={id} readOnly value={value} onFocus={(e) => e.currentTarget.select()} spellCheck={false} />
        <button type="button" className="button" onClick={() => void copy()}>
          Copy
        </button>
      </div>
      <p className="secret-note" role="status">
        {copied ?? "Copy it now: it will not be shown again."}
      </p>
    </div>
  );
}
