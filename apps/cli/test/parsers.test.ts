import { InvalidArgumentError } from "commander";
import { describe, expect, it } from "vitest";
import { accountId, awsProfile, awsRegion, isoInstant, positiveInteger, seed } from "../src/parsers.js";

const since = isoInstant();
const until = isoInstant("end");

describe("ISO 8601 instants", () => {
  it.each([
    ["2026-03-01", "2026-03-01T00:00:00.000Z"],
    ["2024-02-29", "2024-02-29T00:00:00.000Z"],
    ["2026-03-01T08:30", "2026-03-01T08:30:00.000Z"],
    ["2026-03-01T08:30:15Z", "2026-03-01T08:30:15.000Z"],
    ["2026-03-01T08:30:15.25Z", "2026-03-01T08:30:15.250Z"],
    ["2026-03-01T08:30:15.123456789Z", "2026-03-01T08:30:15.123Z"],
    ["2026-03-01T08:30:00+01:00", "2026-03-01T07:30:00.000Z"],
    ["2026-03-01T00:30:00-0230", "2026-03-01T03:00:00.000Z"],
    ["2026-03-01T23:30:00-01", "2026-03-02T00:30:00.000Z"],
  ])("%s is %s", (text, utc) => expect(since(text)).toBe(utc));

  it("takes a bare date as the whole day when it ends a range", () => {
    expect(until("2026-03-31")).toBe("2026-03-31T23:59:59.999Z");
    expect(until("2026-12-31")).toBe("2026-12-31T23:59:59.999Z");
    expect(until("2026-03-31T10:00:00Z")).toBe("2026-03-31T10:00:00.000Z");
  });

  it.each([
    "2026-13-45",
    "2026-02-29",
    "2026-04-31",
    "2026-00-10",
    "yesterday",
    "now",
    "2026-3-1",
    "20260301",
    "2026-03-01 08:30",
    "2026-03-01T24:00",
    "2026-03-01T08:60",
    "2026-03-01T08:30:61Z",
    "2026-03-01T08:30+25:00",
    "1969-12-31",
    "2026-03-01T08:30:00ZZ",
    "",
  ])("refuses %j", (text) => expect(() => since(text)).toThrow(InvalidArgumentError));
});

describe("numbers and names", () => {
  it("takes whole numbers only, from their minimum", () => {
    expect(positiveInteger("1")).toBe(1);
    expect(positiveInteger("250")).toBe(250);
    for (const bad of ["0", "-1", "abc", "1.5", "1e3", "0x10", " 5", "", "99999999999999999999"])
      expect(() => positiveInteger(bad), bad).toThrow(InvalidArgumentError);
    expect(seed("0")).toBe(0);
    expect(seed("4294967295")).toBe(4294967295);
    expect(() => seed("4294967296")).toThrow("expected a whole number from 0 to 4294967295.");
    expect(() => seed("abc")).toThrow(InvalidArgumentError);
  });

  it("checks account ids, regions and profile names", () => {
    expect(accountId("333333333333")).toBe("333333333333");
    expect(() => accountId("33333333333")).toThrow("expected a 12-digit AWS account id.");
    expect(awsRegion("eu-west-1")).toBe("eu-west-1");
    expect(awsRegion("us-gov-west-1")).toBe("us-gov-west-1");
    expect(() => awsRegion("europe")).toThrow(InvalidArgumentError);
    expect(awsProfile("security-hub")).toBe("security-hub");
    expect(() => awsProfile("two words")).toThrow(InvalidArgumentError);
  });
});
