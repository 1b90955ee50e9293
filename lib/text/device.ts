// A person's name for the device behind a session, from its User-Agent (parsed by ua-parser-js): "Firefox on
// Linux", "Terminal client", "curl".
import UAParser from "ua-parser-js";

/** "Chrome on macOS", "Terminal client", "curl", or "Unknown device". */
export function describeDevice(userAgent: string | null | undefined): string {
  const ua = userAgent?.trim();
  if (!ua) return "Unknown device";
  if (ua.startsWith("chatterbox-cli")) return "Terminal client";
  const parsed = new UAParser(ua);
  const browser = parsed.getBrowser().name;
  const system = parsed.getOS().name;
  if (browser) return system ? `${browser} on ${system}` : browser;
  // a script or library: its own product token ("curl/8.5.0" → "curl")
  const product = /^[\w.-]+/.exec(ua)?.[0];
  return product ? product.slice(0, 40) : "Unknown device";
}
