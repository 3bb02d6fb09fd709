import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { isoTime, parseSignalEvent } from "../src/index.js";

const FIXTURES = new URL("../../../test/fixtures/aws/", import.meta.url);
const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(name, FIXTURES), "utf8").replaceAll("{{FINDING_ID}}", "abc"));

describe("parseSignalEvent", () => {
  it("reads a GuardDuty finding, the account from the body", () => {
    const event = {
      ...fixture("guardduty/crypto-currency-bitcointool.json"),
      "detail-type": "GuardDuty Finding",
      account: "999999999999",
    };
    const parsed = parseSignalEvent(event);
    expect(parsed).toMatchObject({
      ok: true,
      signal: { source: "guardduty", accountId: "123456789012", instanceIds: ["i-0e8dfbd8c13eca8ad"] },
    });
  });

  it("reads an Inspector finding event with its non-ISO times and CVE", () => {
    const parsed = parseSignalEvent(fixture("inspector2-eventbridge-finding-ec2-package-vulnerability.json"));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.signal).toMatchObject({ source: "inspector", cve: "CVE-2024-29069", accountId: "123456789012" });
    expect(parsed.signal.updatedAt).toBe("2024-09-04T17:00:36.951Z");
    expect(parsed.signal.finding?.findingArn).toContain("finding/abc");
  });

  it("reads a Macie finding's bucket", () => {
    const event = {
      source: "aws.macie",
      "detail-type": "Macie Finding",
      account: "999999999999",
      detail: {
        id: "m-1",
        accountId: "111111111111",
        region: "us-east-1",
        type: "SensitiveData:S3Object/Personal",
        severity: { score: 3, description: "High" },
        updatedAt: "2026-12-01T10:00:00Z",
        resourcesAffected: {
          s3Bucket: {
            name: "payroll",
            defaultServerSideEncryption: { encryptionType: "aws:kms", kmsMasterKeyId: "k" },
          },
        },
      },
    };
    expect(parseSignalEvent(event)).toMatchObject({
      ok: true,
      signal: {
        source: "macie",
        accountId: "111111111111",
        severity: "HIGH",
        bucket: { name: "payroll", kmsKeyId: "k" },
      },
    });
  });

  it("answers an unknown shape with a typed reason, never an exception", () => {
    expect(parseSignalEvent("nope")).toMatchObject({ ok: false, rejection: { reason: "unknown-shape" } });
    expect(parseSignalEvent({ source: "aws.ec2", "detail-type": "x", detail: {} })).toMatchObject({ ok: false });
    const broken = parseSignalEvent({
      source: "aws.guardduty",
      "detail-type": "GuardDuty Finding",
      detail: { id: "x" },
    });
    expect(broken).toMatchObject({
      ok: false,
      rejection: { reason: "unknown-shape", detail: expect.stringContaining("accountId") },
    });
  });

  it("converts Inspector's event times", () => {
    expect(isoTime("Wed Sep 04 16:59:44.356 UTC 2024")).toBe("2024-09-04T16:59:44.356Z");
    expect(() => isoTime("yesterday")).toThrow();
  });
});
