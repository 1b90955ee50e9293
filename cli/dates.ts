// Dates in the terminal: the line printed when the day changes between two messages ("── Today ──",
// "── Yesterday ──", "── Monday 30 November ──"), and the time of a message from before today with its date.

const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const LONG_MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

const pad2 = (n: number) => String(n).padStart(2, "0");

const parse = (timestamp: string): Date | null => {
  const date = new Date(timestamp);
  return Number.isNaN(date.getTime()) ? null : date;
};

/** Local wall-clock HH:MM of an ISO timestamp, or `--:--` if it is not one. */
export function formatTime(timestamp: string): string {
  const date = parse(timestamp);
  return date ? `${pad2(date.getHours())}:${pad2(date.getMinutes())}` : "--:--";
}

/** The local calendar day of a timestamp, as `YYYY-M-D` (null if it is not one): what "the day changed" compares. */
export function dayKey(timestamp: string): string | null {
  const date = parse(timestamp);
  return date && `${date.getFullYear()}-${date.getMonth() + 1}-${date.getDate()}`;
}

/** Whole local days from `date` to `now` (0: the same day), through midnight, so DST changes do not matter. */
function daysBefore(date: Date, now: Date): number {
  const midnight = (d: Date) => Date.UTC(d.getFullYear(), d.getMonth(), d.getDate());
  return Math.round((midnight(now) - midnight(date)) / 86_400_000);
}

/** "Today", "Yesterday", "Monday 30 November" (within the year), "Monday 30 November 2025" (before it). */
export function dayLabel(timestamp: string, now: Date = new Date()): string {
  const date = parse(timestamp);
  if (!date) return "Unknown date";
  const ago = daysBefore(date, now);
  if (ago === 0) return "Today";
  if (ago === 1) return "Yesterday";
  const year = date.getFullYear() === now.getFullYear() ? "" : ` ${date.getFullYear()}`;
  return `${WEEKDAYS[date.getDay()]} ${date.getDate()} ${LONG_MONTHS[date.getMonth()]}${year}`;
}

/** `── Today ──`: printed above the first message of each day. */
export const dayLine = (timestamp: string, now?: Date): string => `── ${dayLabel(timestamp, now)} ──`;

/** `14:05` today, `30 Nov 14:05` before it, `30 Nov 2025 14:05` in an earlier year. */
export function formatStamp(timestamp: string, now: Date = new Date()): string {
  const date = parse(timestamp);
  if (!date || daysBefore(date, now) === 0) return formatTime(timestamp);
  const year = date.getFullYear() === now.getFullYear() ? "" : ` ${date.getFullYear()}`;
  return `${date.getDate()} ${MONTHS[date.getMonth()]}${year} ${formatTime(timestamp)}`;
}
