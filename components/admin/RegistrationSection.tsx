"use client";
import { useEffect, useId, useState } from "react";
import { REGISTRATION_MODES, type AdminSettingsResponse, type RegistrationMode } from "@/lib/protocol";
import { Alert } from "../Alert";
import { problem, useAdminHttp } from "./useAdmin";

const LABELS: Record<RegistrationMode, { title: string; text: string }> = {
  open: { title: "Open", text: "Anyone who can reach the server may create an account." },
  invite: { title: "Invite only", text: "Only people with an invite link from an admin." },
  closed: { title: "Closed", text: "Nobody may create an account." },
};

/** Who may register: the admin's choice, kept in the database, over REGISTRATION's default. */
export function RegistrationSection({ onChanged }: { onChanged: () => void }) {
  const http = useAdminHttp();
  const [settings, setSettings] = useState<AdminSettingsResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const headingId = useId();

  useEffect(() => {
    http.settings().then(setSettings, (err: unknown) => setError(problem(err)));
  }, [http]);

  const choose = async (mode: RegistrationMode) => {
    setError(null);
    setSaved(null);
    const before = settings;
    // shown checked at once (a controlled radio would otherwise spring back until the server answers)
    if (before) setSettings({ ...before, registration: mode });
    try {
      setSettings(await http.setRegistration(mode));
      setSaved(`Registration is now: ${LABELS[mode].title.toLowerCase()}.`);
      onChanged();
    } catch (err) {
      setSettings(before);
      setError(problem(err));
    }
  };

  return (
    <section className="admin-card" aria-labelledby={headingId}>
      <h2 id={headingId}>Registration</h2>
      <Alert error={error} success={saved} />
      {settings ? (
        <fieldset className="choice-list">
          <legend className="muted">
            Who may create an account (the server&apos;s default, <code>REGISTRATION</code>, is{" "}
            {LABELS[settings.registrationDefault].title.toLowerCase()})
          </legend>
          {REGISTRATION_MODES.map((mode) => (
            <label key={mode} className="choice">
              <input
                type="radio"
                name="registration"
                value={mode}
                checked={settings.registration === mode}
                onChange={() => void choose(mode)}
              />
              <span>
                <strong>{LABELS[mode].title}</strong> <span className="muted">{LABELS[mode].text}</span>
              </span>
            </label>
          ))}
        </fieldset>
      ) : error ? null : (
        <p className="muted">Loading…</p>
      )}
    </section>
  );
}
