import { describe, expect, it } from "vitest";
import { calendarDay, dayLabel } from "@/lib/web/day-label";

// Monday 30 November 2026, 10:00 UTC
const now = new Date(Date.UTC(2026, 10, 30, 10, 0));
const daysAgo = (n: number, hour = 12) => new Date(Date.UTC(2026, 10, 30 - n, hour, 0));
const en = { now, locale: "en-GB", timeZone: "UTC" };

describe("dayLabel", () => {
  it("says Today and Yesterday", () => {
    expect(dayLabel(daysAgo(0, 1), en)).toBe("Today");
    expect(dayLabel(daysAgo(1, 23), en)).toBe("Yesterday");
  });

  it("gives the weekday and date within the last week, the full date beyond", () => {
    expect(dayLabel(daysAgo(2), en)).toBe("Saturday 28 November");
    expect(dayLabel(daysAgo(6), en)).toBe("Tuesday 24 November");
    expect(dayLabel(daysAgo(7), en)).toBe("Monday, 23 November 2026");
    expect(dayLabel(new Date(Date.UTC(2025, 0, 5, 12)), en)).toBe("Sunday, 5 January 2025");
  });

  it("follows the locale", () => {
    expect(dayLabel(daysAgo(1), { ...en, locale: "de-DE" })).toBe("Gestern");
    expect(dayLabel(daysAgo(0), { ...en, locale: "fr-FR" })).toBe("Aujourd’hui");
    expect(dayLabel(daysAgo(3), { ...en, locale: "de-DE" })).toBe("Freitag, 27. November");
  });

  it("counts days in the reader's time zone, not UTC", () => {
    // 02:00 UTC on the 30th is still the 29th in New York, and "now" (10:00 UTC) is the 30th there
    const lateEvening = new Date(Date.UTC(2026, 10, 30, 2, 0));
    expect(dayLabel(lateEvening, { ...en, timeZone: "America/New_York" })).toBe("Yesterday");
    expect(dayLabel(lateEvening, en)).toBe("Today");
  });
});

describe("calendarDay", () => {
  it("is the same for every instant of one local day and one more for the next", () => {
    const tz = "Asia/Tokyo";
    const start = calendarDay(new Date(Date.UTC(2026, 10, 29, 15, 0)), tz); // 00:00 on the 30th in Tokyo
    expect(calendarDay(new Date(Date.UTC(2026, 10, 30, 14, 59)), tz)).toBe(start);
    expect(calendarDay(new Date(Date.UTC(2026, 10, 30, 15, 0)), tz)).toBe(start + 1);
  });
});
