// PostgreSQL's errors as the data layer reads them (lib/db/pg/errors.ts).
import { describe, expect, it } from "vitest";
import { isRefusedData, isUniqueViolation, storableText, unstorable } from "@/lib/db/pg/errors";

describe("PostgreSQL errors", () => {
  it("isRefusedData: only the server refusing a statement's data (classes 22 and 23), never a lost connection", () => {
    for (const code of ["23505", "23503", "23502", "22021", "22003", "22P02"])
      expect(isRefusedData({ code })).toBe(true);
    // not a refusal of the data: a connection lost (its COMMIT may have gone through), a shutdown, a
    // serialization failure, or not a SQLSTATE at all
    for (const code of ["57P01", "08006", "40001", "ECONNRESET", "23", "235050", 23505])
      expect(isRefusedData({ code })).toBe(false);
    expect(isRefusedData(new Error("Connection terminated unexpectedly"))).toBe(false);
    expect(isRefusedData(null)).toBe(false);
  });

  it("isUniqueViolation, storableText and unstorable", () => {
    expect(isUniqueViolation({ code: "23505" })).toBe(true);
    expect(isUniqueViolation({ code: "23503" })).toBe(false);
    expect(storableText("a\u0000b")).toBe("a\uFFFDb");
    expect(storableText("plain")).toBe("plain");
    expect(unstorable("x\u0000")).toBe(true);
    expect(unstorable("x")).toBe(false);
  });
});
