import { ERROR_CODES } from "@wshub/core";
import { describe, expect, it } from "vitest";
import { parseScenarioStep } from "../src/index.js";

const finding = {
  accountId: "333333333333",
  region: "us-east-1",
  resourceId: "i-1",
  vulnerabilityId: "CVE-2024-1004",
  severity: "LOW",
  status: "ACTIVE",
};

describe("scenario steps", () => {
  it("applies the scenario defaults and stamps every finding with the step's instant", () => {
    const step = parseScenarioStep({ at: "2026-11-21T09:00:00Z", addFindings: [finding] });
    expect(step.addFindings[0]).toMatchObject({
      updatedAt: "2026-11-21T09:00:00Z",
      firstObservedAt: "2026-11-21T09:00:00Z",
      type: "PACKAGE_VULNERABILITY",
      resourceType: "AWS_EC2_INSTANCE",
    });
    expect(step.addFindings[0]?.findingArn).toMatch(
      /^arn:aws:inspector2:us-east-1:333333333333:finding\/[0-9a-f]{32}$/,
    );
    const computer = parseScenarioStep({ addComputers: [{ tenant: "emea", id: 12, hostName: "h", policyId: 1 }] });
    expect(computer.addComputers[0]).toMatchObject({
      agentStatus: "active",
      ipsState: "inherited",
      ipsRuleIds: [],
      ec2: null,
    });
  });

  it("names every problem with its path and changes nothing", () => {
    const error = (() => {
      try {
        parseScenarioStep({
          at: "yesterday",
          addFindings: [{ ...finding, severity: "SEVERE" }],
          setFindingStatus: [{ findingArn: "x", status: "GONE" }],
          addComputers: [{ id: 1 }],
          removeEverything: true,
        });
      } catch (e) {
        return e as { code: string; message: string };
      }
      return undefined;
    })();
    expect(error?.code).toBe(ERROR_CODES.SCENARIO_INVALID);
    for (const path of [
      "/at",
      "/addFindings/0/severity",
      "/setFindingStatus/0",
      "/addComputers/0/tenant",
      "/removeEverything",
    ])
      expect(error?.message).toContain(path);
  });
});
