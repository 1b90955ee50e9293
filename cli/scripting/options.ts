// Option values that commander parses for the scripting subcommands; a bad value is a usage error (exit 2).
import { InvalidArgumentError } from "commander";
import { z } from "zod";

/** A whole number from `min`. */
export const wholeNumber =
  (min: number, max = Number.MAX_SAFE_INTEGER) =>
  (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}.`);
    }
    return n;
  };

const dateOnly = z.iso.date();
const dateTime = z.iso.datetime({ offset: true, local: true });

export interface DateBound {
  at: Date;
  /** a bare YYYY-MM-DD (a whole day) rather than an instant */
  day: boolean;
}

/** `2026-12-01` (midnight UTC) or an ISO 8601 date and time such as `2026-12-01T09:30:00Z`. */
export function dateBound(value: string): DateBound {
  const trimmed = value.trim();
  const day = dateOnly.safeParse(trimmed).success;
  if (!day && !dateTime.safeParse(trimmed).success) {
    throw new InvalidArgumentError("expected a date such as 2026-12-01 or 2026-12-01T09:30:00Z.");
  }
  const at = new Date(day ? `${trimmed}T00:00:00Z` : trimmed);
  if (Number.isNaN(at.getTime())) throw new InvalidArgumentError(`"${value}" is not a real date.`);
  return { at, day };
}

/** The exclusive end of `--until`: a bare day includes that whole day (UTC). */
export const untilEnd = (bound: DateBound): Date =>
  bound.day ? new Date(bound.at.getTime() + 24 * 60 * 60 * 1000) : bound.at;
