import { readFileSync } from "node:fs";
import { ERROR_CODES } from "@wshub/core";
import { describe, expect, it } from "vitest";
import { builtInScenarioPath, hasOrganization, parseScenario } from "../src/index.js";

const HUB = "333333333333";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Raw = Record<string, any>;

/** example-small as on disk, reduced to one account that stands alone (organization.enabled: false). */
function standAlone(): Raw {
  const raw = JSON.parse(readFileSync(builtInScenarioPath("example-small"), "utf8")) as Raw;
  const account = raw["organization"].accounts.find((a: { id: string }) => a.id === HUB);
  raw["organization"] = {
    enabled: false,
    managementAccountId: HUB,
    hubAccountId: HUB,
    organizationalUnits: [],
    accounts: [{ ...account, ouId: "root" }],
  };
  for (const key of ["instances", "findings"])
    raw[key] = raw[key].filter((item: { accountId: string }) => item.accountId === HUB);
  return raw;
}

describe("a scenario without AWS Organizations", () => {
  it("is accepted by the schema and the reference checks, and says it has no organization", () => {
    const scenario = parseScenario(standAlone());
    expect(hasOrganization(scenario)).toBe(false);
    expect(scenario.organization.accounts.map((a) => a.id)).toEqual([HUB]);
  });

  it("every other scenario has one (enabled defaults to true)", () => {
    const raw = JSON.parse(readFileSync(builtInScenarioPath("example-small"), "utf8")) as unknown;
    expect(hasOrganization(parseScenario(raw))).toBe(true);
  });

  it("names each way it is not a lone hub account: a second account, another management account, OUs", () => {
    const raw = standAlone();
    raw["organization"].accounts.push({ id: "444444444444", name: "web", email: "web@example.com", ouId: "root" });
    raw["organization"].managementAccountId = "444444444444";
    raw["organization"].organizationalUnits = [{ id: "ou-prod", name: "Prod", parentId: "root" }];
    expect(() => parseScenario(raw, "lone.json")).toThrow(
      expect.objectContaining({
        code: ERROR_CODES.SCENARIO_INVALID,
        details: expect.objectContaining({
          problems: [
            "/organization/accounts: without an organization, the hub account is the only account",
            "/organization/managementAccountId: without an organization, it is the hub account",
            "/organization/organizationalUnits: without an organization there are no OUs",
          ],
        }),
      }),
    );
  });
});
