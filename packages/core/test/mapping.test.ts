import { describe, expect, it } from "vitest";
import {
  mapAccountToTenant,
  recipientsFor,
  neutralizeFormula,
  isoWeekLabel,
  parseHubConfig,
  type OrgAccount,
  WshubError,
} from "../src/index.js";

const account = (overrides: Partial<OrgAccount>): OrgAccount => ({
  id: "333333333333",
  name: "a",
  email: "a@example.com",
  status: "ACTIVE",
  ouPath: [
    { id: "ou-prod", name: "Prod" },
    { id: "ou-prod-eu", name: "EU" },
  ],
  tags: {},
  ...overrides,
});

const rules = {
  accounts: { "999999999999": "explicit" },
  tagKey: "WsTenant",
  organizationalUnits: { "ou-prod-eu": "emea", "ou-prod": "global" },
};
const known = new Set(["explicit", "emea", "global", "tagged"]);

describe("mapAccountToTenant", () => {
  it("prefers the explicit account, then the tag, then the deepest OU, then the default", () => {
    expect(mapAccountToTenant(account({ id: "999999999999", tags: { WsTenant: "tagged" } }), rules, known).tenant).toBe(
      "explicit",
    );
    expect(mapAccountToTenant(account({ tags: { WsTenant: "tagged" } }), rules, known).tenant).toBe("tagged");
    expect(mapAccountToTenant(account({}), rules, known)).toMatchObject({
      tenant: "emea",
      source: "organizational-unit",
    });
    expect(mapAccountToTenant(account({ ouPath: [{ id: "ou-prod", name: "Prod" }] }), rules, known).tenant).toBe(
      "global",
    );
    expect(mapAccountToTenant(account({ ouPath: [] }), { ...rules, defaultTenant: "global" }, known).source).toBe(
      "default",
    );
    expect(mapAccountToTenant(account({ ouPath: [] }), rules, known)).toMatchObject({ tenant: null, source: "none" });
  });

  it("does not fall back when a tag names an unknown tenant", () => {
    expect(mapAccountToTenant(account({ tags: { WsTenant: "nope" } }), rules, known)).toMatchObject({
      tenant: null,
      source: "invalid-tag",
    });
  });
});

describe("recipientsFor", () => {
  it("prefers configuration, else splits the tag and reports what is not an address", () => {
    expect(
      recipientsFor({ id: "1", tags: { C: "x@y.com" } }, { accounts: { "1": ["a@b.com"] }, tagKey: "C" }).addresses,
    ).toEqual(["a@b.com"]);
    expect(recipientsFor({ id: "1", tags: { C: "x@y.com; z@y.com,bogus" } }, { accounts: {}, tagKey: "C" })).toEqual({
      addresses: ["x@y.com", "z@y.com"],
      source: "tag",
      rejected: ["bogus"],
    });
    expect(recipientsFor({ id: "1", tags: {} }, { accounts: {}, tagKey: "C" }).source).toBe("none");
  });
});

describe("neutralizeFormula", () => {
  it.each(["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])("quotes %j", (value) => {
    expect(neutralizeFormula(value)).toBe(`'${value}`);
  });
  it("leaves plain text alone", () => expect(neutralizeFormula("web-1")).toBe("web-1"));
});

describe("isoWeekLabel", () => {
  it.each([
    ["2026-11-25", "2026-W48"],
    ["2027-01-01", "2026-W53"],
    ["2024-12-30", "2025-W01"],
  ])("%s is %s", (day, label) => expect(isoWeekLabel(new Date(`${day}T12:00:00Z`))).toBe(label));
});

describe("parseHubConfig", () => {
  const minimal = {
    hub: { homeRegion: "us-east-1", regions: ["us-east-1"] },
    collection: { mode: "delegated-admin" },
    reports: { sender: "hub@example.com" },
  };
  it("fills defaults", () => {
    const config = parseHubConfig(minimal);
    expect(config.assignment.mode).toBe("off");
    expect(config.store.auditTable).toBe("wshub-audit");
    expect(config.collection.concurrency).toBe(8);
  });
  it("names every problem with its path", () => {
    try {
      parseHubConfig(
        { ...minimal, collection: { mode: "member-role" }, mapping: { defaultTenant: "ghost" } },
        "hub.yaml",
      );
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(WshubError);
      const message = (error as WshubError).message;
      expect(message).toContain("hub.yaml is invalid");
      expect(message).toContain("collection.memberRole: member-role mode needs collection.memberRole");
      expect(message).toContain('mapping.defaultTenant: names tenant "ghost"');
    }
  });
});
