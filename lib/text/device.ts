// A person's name for the device behind a session, from its User-Agent: "Firefox on Linux", "Terminal
// client". Only the few families worth telling apart in a sessions list; anything else is shown as sent.

const BROWSERS: [RegExp, string][] = [
  [/\bEdg(?:e|A|iOS)?\//, "Edge"],
  [/\bOPR\/|\bOpera\b/, "Opera"],
  [/\bFirefox\/|\bFxiOS\//, "Firefox"],
  [/\bChrom(?:e|ium)\/|\bCriOS\//, "Chrome"],
  [/\bVersion\/[\d.]+.*\bSafari\//, "Safari"],
];

const SYSTEMS: [RegExp, string][] = [
  [/\bAndroid\b/, "Android"],
  [/\biPhone\b|\biPad\b|\biOS\b/, "iOS"],
  [/\bCrOS\b/, "ChromeOS"],
  [/\bWindows\b/, "Windows"],
  [/\bMac OS X\b|\bMacintosh\b/, "macOS"],
  [/\bLinux\b/, "Linux"],
];

const first = (ua: string, table: [RegExp, string][]) => table.find(([re]) => re.test(ua))?.[1];

/** "Chrome on macOS", "Terminal client", "curl", or "Unknown device". */
export function describeDevice(userAgent: string | null | undefined): string {
  const ua = userAgent?.trim();
  if (!ua) return "Unknown device";
  if (ua.startsWith("chatterbox-cli")) return "Terminal client";
  const browser = first(ua, BROWSERS);
  const system = first(ua, SYSTEMS);
  if (browser) return system ? `${browser} on ${system}` : browser;
  // a script or library: its own product token ("curl/8.5.0" → "curl")
  const product = /^[\w.-]+/.exec(ua)?.[0];
  return product ? product.slice(0, 40) : "Unknown device";
}
