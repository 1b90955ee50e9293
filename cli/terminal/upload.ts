// /upload <path> [caption]: the file is uploaded with a progress line above the prompt, then sent to the
// conversation on screen with the caption (if any) as one message.
import path from "node:path";
import { formatBytes } from "../../lib/client/uploads";
import { sanitizeInline } from "../sanitize";
import { uploadFromPath } from "../upload";
import type { TerminalChat } from "./context";

const progressLines = new WeakMap<TerminalChat, string>();

/** The progress line of an upload under way (shown above the prompt), or "" */
export const uploadStatus = (chat: TerminalChat): string => progressLines.get(chat) ?? "";

function bar(fraction: number, width = 20): string {
  const filled = Math.round(fraction * width);
  return `[${"#".repeat(filled)}${".".repeat(width - filled)}]`;
}

export async function upload(chat: TerminalChat, file: string, caption: string): Promise<void> {
  const { screen, serverUrl, login } = chat;
  const name = sanitizeInline(path.basename(file));
  let shown = -1;
  const show = (loaded: number, total: number) => {
    const percent = total > 0 ? Math.floor((loaded / total) * 100) : 100;
    if (percent === shown) return;
    shown = percent;
    progressLines.set(chat, `uploading ${name} ${bar(percent / 100)} ${percent}% of ${formatBytes(total)}`);
    screen.refreshPrompt();
  };
  try {
    const info = await uploadFromPath(serverUrl, login.token, file, ({ loaded, total }) => show(loaded, total));
    screen.info(`uploaded ${sanitizeInline(info.name)} (${formatBytes(info.size)})`);
    chat.input.send(caption, undefined, [info]);
  } finally {
    progressLines.delete(chat);
    screen.refreshPrompt();
  }
}
