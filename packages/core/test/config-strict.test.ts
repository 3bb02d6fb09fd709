import { z } from "zod";
import { describe, expect, it } from "vitest";
import {
  closestMatch,
  editDistance,
  hubConfigSchema,
  keysAt,
  parseHubConfig,
  unwrapped,
  WshubError,
} from "../src/index.js";

const minimal = {
  hub: { homeRegion: "us-east-1", regions: ["us-east-1"] },
  collection: { mode: "delegated-admin" },
  reports: { sender: "hub@example.com" },
};

function problemsOf(raw: unknown): string[] {
  try {
    parseHubConfig(raw, "wshub.yaml");
  } catch (error) {
    expect(error).toBeInstanceOf(WshubError);
    expect((error as WshubError).code).toBe("CONFIG_INVALID");
    return (error as WshubError).details["problems"] as string[];
  }
  return expect.unreachable("the configuration was accepted");
}

describe("editDistance and closestMatch", () => {
  it.each([
    ["sendEmails", "sendEmail", 1],
    ["sendEmial", "sendEmail", 1],
    ["homeregion", "homeregion", 0],
    ["", "abc", 3],
    ["kitten", "sitting", 3],
  ])("%s → %s is %i", (a, b, distance) => expect(editDistance(a, b)).toBe(distance));

  it("suggests the closest sibling, case-insensitively, only when it reads as a typo", () => {
    const keys = ["outputDir", "sender", "sendEmail", "resendUnchanged", "writeEml"];
    expect(closestMatch("sendEmails", keys)).toBe("sendEmail");
    expect(closestMatch("SENDEMAIL", keys)).toBe("sendEmail");
    expect(closestMatch("sendr", keys)).toBe("sender");
    expect(closestMatch("colour", keys)).toBeUndefined();
    expect(closestMatch("recipientz", [])).toBeUndefined();
    // A long name gets at most three edits: WSHUB_CONFIG is another variable, not a typo of WSHUB_CONFIG_JSON.
    expect(closestMatch("WSHUB_CONFIG", ["WSHUB_CONFIG_JSON", "WSHUB_CONFIG_PARAMETER"])).toBeUndefined();
    expect(closestMatch("WSHUB_OUTPUT_DIRR", ["WSHUB_OUTPUT_DIR"])).toBe("WSHUB_OUTPUT_DIR");
  });
});

describe("configuration strictness", () => {
  it("rejects a misspelt key with its path and a suggestion, instead of dropping it", () => {
    expect(problemsOf({ ...minimal, reports: { ...minimal.reports, sendEmails: false } })).toEqual([
      "reports.sendEmails: unknown key; did you mean sendEmail?",
    ]);
  });

  it("names unknown keys at every depth, in arrays and records too, all at once", () => {
    const problems = problemsOf({
      ...minimal,
      hub: { ...minimal.hub, homeregion: "eu-west-1" },
      organization: { includeAccount: ["111111111111"] },
      tenants: [{ name: "t", apiKeySecret: "s", url: "https://ws.example.com/api", authheader: "authorization" }],
      assignment: { allow: { acounts: [] } },
      reports: { ...minimal.reports, recipients: { tag: "Owner" } },
      colour: "blue",
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        "hub.homeregion: unknown key; did you mean homeRegion?",
        "organization.includeAccount: unknown key; did you mean includeAccounts?",
        "tenants.0.authheader: unknown key; did you mean authHeader?",
        "assignment.allow.acounts: unknown key; did you mean accounts?",
        "reports.recipients.tag: unknown key",
        "colour: unknown key",
      ]),
    );
    expect(problems).toHaveLength(6);
  });

  it("finds the keys an object accepts through defaults, arrays and optional wrappers", () => {
    expect(keysAt(hubConfigSchema, ["reports", "recipients"])).toEqual(["accounts", "tagKey"]);
    expect(keysAt(hubConfigSchema, ["tenants", 3])).toContain("apiKeySecret");
    expect(keysAt(hubConfigSchema, ["collection", "memberRole"])).toContain("externalId");
    expect(keysAt(hubConfigSchema, ["mapping", "accounts", "111111111111"])).toEqual([]);
  });

  it("has no object, now or in a section added later, that accepts unknown keys", () => {
    const strict = (schema: z.core.$ZodType) => {
      const loose: string[] = [];
      visitObjects(schema, "config", (object, at) => {
        if (!(object._zod.def.catchall instanceof z.ZodNever)) loose.push(at);
      });
      return loose;
    };
    expect(strict(hubConfigSchema)).toEqual([]);
    expect(strict(z.strictObject({ a: z.array(z.object({ b: z.string() })).default([]) }))).toEqual(["config.a[]"]);
  });
});

/** Every object schema reachable from `schema`, with a label of where it is. */
function visitObjects(schema: z.core.$ZodType, at: string, visit: (o: z.ZodObject, at: string) => void): void {
  const inner = unwrapped(schema);
  if (inner instanceof z.ZodObject) {
    visit(inner, at);
    for (const [key, value] of Object.entries(inner.shape)) visitObjects(value, `${at}.${key}`, visit);
  } else if (inner instanceof z.ZodArray) visitObjects(inner.element, `${at}[]`, visit);
  else if (inner instanceof z.ZodRecord) visitObjects(inner.valueType, `${at}{}`, visit);
  else if (inner instanceof z.ZodUnion) inner.options.forEach((option, i) => visitObjects(option, `${at}|${i}`, visit));
}
