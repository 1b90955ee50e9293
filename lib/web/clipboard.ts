// Copying text: the async Clipboard API where the page may use it (a secure context), else the old
// select-and-copy through a hidden textarea (plain http on a LAN address has no navigator.clipboard).

export async function copyText(text: string): Promise<boolean> {
  if (typeof navigator !== "undefined" && navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // denied (no user gesture, permissions): try the old way
    }
  }
  return copyBySelection(text);
}

function copyBySelection(text: string): boolean {
  const area = document.createElement("textarea");
  area.value = text;
  area.readOnly = true;
  area.className = "clipboard-fallback";
  document.body.append(area);
  area.select();
  try {
    // deprecated, but the only way left without the Clipboard API
    return document.execCommand("copy");
  } catch {
    return false;
  } finally {
    area.remove();
  }
}
