import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ERROR_CODES, WshubError } from "@wshub/core";
import { describe, expect, it } from "vitest";
import { builtInScenarioPath, loadScenarioFile, parseScenario } from "../src/index.js";

/** A fresh, mutable copy of the built-in example as it is on disk (before defaults). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const example = (): Record<string, any> => JSON.parse(readFileSync(builtInScenarioPath("example-small"), "utf8"));

function problemsOf(run: () => unknown): { message: string; problems: string[] } {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(WshubError);
    const e = error as WshubError;
    expect(e.code).toBe(ERROR_CODES.SCENARIO_INVALID);
    return { message: e.message, problems: (e.details as { problems: string[] }).problems };
  }
  throw new Error("expected the scenario to be rejected");
}

describe("scenario loading", () => {
  it("accepts the built-in example and applies the documented defaults", () => {
    const scenario = loadScenarioFile(builtInScenarioPath("example-small"));
    expect(scenario.organization.accounts.every((a) => a.status !== undefined)).toBe(true);
    expect(scenario.findings.every((f) => f.findingArn?.startsWith("arn:aws:inspector2:"))).toBe(true);
  });

  it("names the path and the schema rule each problem breaks, all at once", () => {
    const raw = example();
    raw["organization"].accounts[1].id = "12345";
    raw["organization"].accounts[2].colour = "blue";
    raw["organization"].accounts[3].tag = { Team: "x" };
    delete raw["findings"][0].severity;
    const { message, problems } = problemsOf(() => parseScenario(raw, "broken.json"));
    expect(message).toContain("scenario broken.json is invalid");
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\/organization\/accounts\/1\/id: .*\(rule: pattern/),
        expect.stringMatching(/^\/organization\/accounts\/2: .*"colour" \(rule: additionalProperties/),
        expect.stringMatching(
          /^\/organization\/accounts\/3: .*"tag"; did you mean tags\? \(rule: additionalProperties/,
        ),
        expect.stringMatching(/^\/findings\/0: .*severity.*\(rule: required/),
      ]),
    );
  });

  it("reports references the schema cannot check: unknown OUs and duplicate accounts", () => {
    const raw = example();
    raw["organization"].accounts[1].ouId = "ou-nope-missing";
    raw["organization"].accounts[3].id = raw["organization"].accounts[2].id;
    const { problems } = problemsOf(() => parseScenario(raw));
    expect(problems).toContain("/organization/accounts/1/ouId: OU ou-nope-missing does not exist");
    expect(problems.some((p) => p.startsWith("/organization/accounts/3/id: duplicate account id"))).toBe(true);
  });

  it("says when the file cannot be read or is not JSON", () => {
    const dir = mkdtempSync(join(tmpdir(), "wshub-scenario-"));
    const notJson = join(dir, "bad.json");
    writeFileSync(notJson, "{ nope");
    expect(problemsOf(() => loadScenarioFile(notJson)).problems[0]).toMatch(/^not valid JSON/);
    expect(problemsOf(() => loadScenarioFile(join(dir, "missing.json"))).problems[0]).toMatch(/^cannot read the file/);
  });
});
