"use client";
import type { InputHTMLAttributes } from "react";
import { LIMITS } from "@/lib/protocol";

interface Props extends Omit<InputHTMLAttributes<HTMLInputElement>, "type" | "value" | "onChange"> {
  id: string;
  label: string;
  autoComplete: "current-password" | "new-password";
  value: string;
  onChange: (value: string) => void;
  /** under the field: the rules for a new password */
  hint?: string;
}

/** A labelled password input (a form's `.field`), with the rules for a new one under it. */
export function PasswordField({ id, label, value, onChange, hint, ...input }: Props) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} type="password" value={value} onChange={(e) => onChange(e.target.value)} {...input} />
      {hint ? <span className="hint">{hint}</span> : null}
    </div>
  );
}

/** What a new password must be: "8–72 bytes" */
export const NEW_PASSWORD_RULE = `${LIMITS.passwordMinBytes}–${LIMITS.passwordMaxBytes} bytes`;
