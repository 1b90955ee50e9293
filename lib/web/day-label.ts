// Day separators' labels: "Today", "Yesterday", the weekday and date within the last week, the full date
// beyond, in the reader's locale and time zone (both overridable for tests).

const MS_PER_DAY = 86_400_000;
const partsFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar day of `date` in `timeZone` (default: the reader's), as days since 1970-01-01. */
export function calendarDay(date: Date, timeZone?: string): number {
  const key = timeZone ?? "";
  let format = partsFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", { timeZone, year: "numeric", month: "numeric", day: "numeric" });
    partsFormats.set(key, format);
  }
  const part = (type: string) => Number(format.formatToParts(date).find((p) => p.type === type)?.value);
  return Math.round(Date.UTC(part("year"), part("month") - 1, part("day")) / MS_PER_DAY);
}

export interface DayLabelOptions {
  now?: Date;
  locale?: string | undefined;
  timeZone?: string | undefined;
}

const capitalise = (s: string, locale?: string) => s.charAt(0).toLocaleUpperCase(locale) + s.slice(1);

export function dayLabel(date: Date, { now = new Date(), locale, timeZone }: DayLabelOptions = {}): string {
  const ago = calendarDay(now, timeZone) - calendarDay(date, timeZone);
  if (ago === 0 || ago === 1) {
    const relative = new Intl.RelativeTimeFormat(locale, { numeric: "auto" }).format(-ago, "day");
    return capitalise(relative, locale);
  }
  const recent = ago > 1 && ago < 7;
  return new Intl.DateTimeFormat(locale, {
    timeZone,
    weekday: "long",
    day: "numeric",
    month: "long",
    ...(recent ? {} : { year: "numeric" }),
  }).format(date);
}
