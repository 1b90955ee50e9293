import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fromSqliteDate, isoFromSqliteDate, prismaTimestamp } from "../../lib/db/message-rows";

describe("isoFromSqliteDate", () => {
  it("gives what toISOString gives, for Prisma's text and for epoch milliseconds", () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date(0), max: new Date("9999-12-31T23:59:59.999Z"), noInvalidDate: true }),
        (d) => {
          expect(isoFromSqliteDate(prismaTimestamp(d))).toBe(d.toISOString());
          expect(isoFromSqliteDate(d.getTime())).toBe(d.toISOString());
          expect(isoFromSqliteDate(String(d.getTime()))).toBe(d.toISOString());
        },
      ),
    );
  });

  it("converts other offsets and forms through Date", () => {
    expect(isoFromSqliteDate("2026-12-02T14:33:14.675+01:00")).toBe("2026-12-02T13:33:14.675Z");
    expect(isoFromSqliteDate("2026-12-02T13:33:14Z")).toBe("2026-12-02T13:33:14.000Z");
    expect(fromSqliteDate("2026-12-02T13:33:14.675+00:00").getTime()).toBe(Date.UTC(2026, 11, 2, 13, 33, 14, 675));
  });
});
