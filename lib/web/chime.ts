// The notification sound: two short sine notes made with WebAudio (nothing to download or bundle).
let context: AudioContext | null = null;

function note(ctx: AudioContext, frequency: number, start: number, length: number): void {
  const osc = ctx.createOscillator();
  const gain = ctx.createGain();
  osc.type = "sine";
  osc.frequency.value = frequency;
  // a soft attack and an exponential fade: no click at either end
  gain.gain.setValueAtTime(0.0001, start);
  gain.gain.exponentialRampToValueAtTime(0.18, start + 0.015);
  gain.gain.exponentialRampToValueAtTime(0.0001, start + length);
  osc.connect(gain).connect(ctx.destination);
  osc.start(start);
  osc.stop(start + length + 0.02);
}

/** Plays the chime; silent where the browser has no WebAudio or has not allowed sound on this page yet. */
export function playChime(): void {
  if (typeof window === "undefined" || typeof window.AudioContext !== "function") return;
  context ??= new window.AudioContext();
  const ctx = context;
  // a context made before any click on the page starts suspended; resuming works once the user has interacted
  if (ctx.state === "suspended") void ctx.resume().catch(() => undefined);
  const t = ctx.currentTime + 0.01;
  note(ctx, 880, t, 0.14);
  note(ctx, 1318.5, t + 0.11, 0.22);
}
