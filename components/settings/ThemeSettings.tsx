"use client";
import { useState } from "react";
import { chooseTheme, THEMES, type Theme } from "@/lib/web/theme";
import { SettingsSection } from "./SettingsPane";

const LABELS: Record<Theme, string> = { system: "Same as the system", light: "Light", dark: "Dark" };

/** System, light or dark: applied at once, remembered in this browser. */
export function ThemeSettings({ initial }: { initial: Theme }) {
  const [theme, setTheme] = useState<Theme>(initial);
  return (
    <SettingsSection id="theme" title="Theme">
      <fieldset className="theme-choice">
        <legend className="sr-only">Theme</legend>
        {THEMES.map((t) => (
          <label key={t} className="theme-option">
            <input
              type="radio"
              name="theme"
              value={t}
              checked={theme === t}
              onChange={() => {
                setTheme(t);
                chooseTheme(t);
              }}
            />
            {LABELS[t]}
          </label>
        ))}
      </fieldset>
    </SettingsSection>
  );
}
