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
      <input
        id={id}
        type="password"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-describedby={hint ? `${id}-hint` : undefined}
        {...input}
      />
      {hint ? (
        <span className="hint" id={`${id}-hint`}>
          {hint}
        </span>
      ) : null}
    </div>
  );
}

/** What a new password must be: "8–72 bytes" */
export const NEW_PASSWORD_RULE = `${LIMITS.passwordMinBytes}–${LIMITS.passwordMaxBytes} bytes`;

type NewPasswordProps = Omit<Props, "id" | "label" | "autoComplete" | "hint"> & { hint?: string };

/** "New password" with the rules under it (and what else happens, where something does). */
export function NewPasswordField({ hint, ...props }: NewPasswordProps) {
  const rule = hint ? `${NEW_PASSWORD_RULE}. ${hint}` : NEW_PASSWORD_RULE;
  return <PasswordField id="new-password" label="New password" autoComplete="new-password" hint={rule} {...props} />;
}

/** "New password again": a typo in the new one is caught before it locks anyone out. */
export function RepeatPasswordField(props: Omit<Props, "id" | "label" | "autoComplete" | "hint">) {
  return <PasswordField id="repeat-password" label="New password again" autoComplete="new-password" {...props} />;
}

/** What a form says when the two new passwords differ. */
export const PASSWORDS_DIFFER = "The new passwords do not match";
