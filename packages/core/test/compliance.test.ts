import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  batchEvaluations,
  decideCompliance,
  notApplicable,
  parseConfigInvocation,
  parseRuleParameters,
  type WsComputer,
} from "../src/index.js";

const FIXTURES = new URL("../../../test/fixtures/aws/config/", import.meta.url);
const fixture = (name: string) => JSON.parse(readFileSync(new URL(name, FIXTURES), "utf8")) as Record<string, unknown>;

const computer = (fields: Partial<WsComputer> = {}): WsComputer => ({
  id: 7,
  hostName: "web-1",
  policyId: 3,
  ipsRuleIds: [],
  agentStatus: "active",
  ...fields,
});

describe("rule parameters", () => {
  it("parse each rule and name the bad parameter", () => {
    expect(parseRuleParameters('{"rule":"ws-policy","policies":["Linux Server"]}')).toMatchObject({
      rule: "ws-policy",
      unknownInstance: "NON_COMPLIANT",
    });
    expect(() => parseRuleParameters('{"rule":"ws-module-on","module":"antimalware"}')).toThrow(/module/);
    expect(() => parseRuleParameters('{"rule":"ws-agent-active","dsHostname":"x"}')).toThrow(/dsHostname/);
    expect(() => parseRuleParameters("{nope")).toThrow(/not JSON/);
  });
});

describe("the invocation event", () => {
  const withRule = (event: Record<string, unknown>, invoking?: unknown) => ({
    ...event,
    ruleParameters: '{"rule":"ws-agent-active"}',
    ...(invoking === undefined ? {} : { invokingEvent: JSON.stringify(invoking) }),
  });

  it("reads a change notification from the fixture", () => {
    const parsed = parseConfigInvocation(withRule(fixture("config-rule-invocation-event.json")));
    expect(parsed.message).toMatchObject({
      kind: "change",
      item: { resourceId: "i-03f48756b2e392fca", status: "OK", instanceState: "running" },
    });
    expect(parsed.region).toBe("us-west-1");
  });

  it("tells an oversized item and a scheduled notification apart; an unknown shape is a typed error", () => {
    const base = fixture("config-rule-invocation-event.json");
    const item = (JSON.parse(String(base["invokingEvent"])) as { configurationItem: Record<string, unknown> })
      .configurationItem;
    const { configuration: _c, ...summary } = item;
    const oversized = {
      messageType: "OversizedConfigurationItemChangeNotification",
      configurationItemSummary: summary,
    };
    expect(parseConfigInvocation(withRule(base, oversized)).message.kind).toBe("oversized");
    const scheduled = { messageType: "ScheduledNotification", notificationCreationTime: "2026-12-01T00:00:00Z" };
    expect(parseConfigInvocation(withRule(base, scheduled)).message.kind).toBe("scheduled");
    expect(() => parseConfigInvocation(withRule(base, { messageType: "Other" }))).toThrow(
      expect.objectContaining({ code: "CONFIG_INVOCATION_INVALID" }),
    );
  });

  it("rejects the retired sample's parameters by name", () => {
    expect(() => parseConfigInvocation(fixture("config-rule-invocation-event_with_policy.json"))).toThrow(
      expect.objectContaining({ code: "CONFIG_RULE_PARAMETERS_INVALID" }),
    );
  });
});

describe("the ladders", () => {
  const params = (json: string) => parseRuleParameters(json);

  it("ws-agent-active: no computer, active, warning, offline", () => {
    const rule = params('{"rule":"ws-agent-active"}');
    expect(decideCompliance(rule, {}).compliance).toBe("NON_COMPLIANT");
    expect(
      decideCompliance(params('{"rule":"ws-agent-active","unknownInstance":"NOT_APPLICABLE"}'), {}).compliance,
    ).toBe("NOT_APPLICABLE");
    expect(decideCompliance(rule, { computer: computer() }).compliance).toBe("COMPLIANT");
    expect(decideCompliance(rule, { computer: computer({ agentStatus: "warning" }) }).compliance).toBe("COMPLIANT");
    expect(decideCompliance(rule, { computer: computer({ agentStatus: "inactive" }) })).toMatchObject({
      compliance: "NON_COMPLIANT",
      annotation: expect.stringContaining("inactive"),
    });
  });

  it("ws-policy compares names exactly as stored", () => {
    const rule = params('{"rule":"ws-policy","policies":["Linux Server"]}');
    expect(decideCompliance(rule, { computer: computer(), policyName: "Linux Server" }).compliance).toBe("COMPLIANT");
    expect(decideCompliance(rule, { computer: computer(), policyName: "linux server" })).toMatchObject({
      compliance: "NON_COMPLIANT",
      annotation: "WS policy 'linux server' (expected: 'Linux Server')",
    });
  });

  it("ws-module-on: default and named states, agent must run", () => {
    const ips = params('{"rule":"ws-module-on","module":"intrusionPrevention"}');
    const on = (state: string, agentStatus: WsComputer["agentStatus"] = "active") =>
      decideCompliance(ips, { computer: computer({ agentStatus, modules: { intrusionPrevention: { state } } }) })
        .compliance;
    expect(on("prevent")).toBe("COMPLIANT");
    expect(on("detect")).toBe("NON_COMPLIANT");
    expect(on("prevent", "error")).toBe("NON_COMPLIANT");
    const detectOk = params('{"rule":"ws-module-on","module":"intrusionPrevention","states":["detect","prevent"]}');
    expect(
      decideCompliance(detectOk, { computer: computer({ modules: { intrusionPrevention: { state: "detect" } } }) })
        .compliance,
    ).toBe("COMPLIANT");
  });

  it("ws-clear-of-warnings puts the messages in an annotation of at most 256 characters", () => {
    const rule = params('{"rule":"ws-clear-of-warnings"}');
    expect(decideCompliance(rule, { computer: computer() }).compliance).toBe("COMPLIANT");
    const noisy = computer({
      agentStatus: "warning",
      agentStatusMessages: ["x".repeat(300)],
      modules: { antiMalware: { agentStatus: "error", message: "engine offline" } },
    });
    const verdict = decideCompliance(rule, { computer: noisy });
    expect(verdict.compliance).toBe("NON_COMPLIANT");
    expect(verdict.annotation.length).toBe(256);
  });

  it("deleted, left-scope and terminated instances are NOT_APPLICABLE", () => {
    const item = { resourceType: "AWS::EC2::Instance", status: "OK" };
    expect(notApplicable(item, false)).toBeUndefined();
    expect(notApplicable(item, true)?.compliance).toBe("NOT_APPLICABLE");
    expect(notApplicable({ ...item, status: "ResourceDeleted" }, false)?.compliance).toBe("NOT_APPLICABLE");
    expect(notApplicable({ ...item, instanceState: "terminated" }, false)?.compliance).toBe("NOT_APPLICABLE");
  });
});

describe("batching", () => {
  it("puts at most 100 a call", () => {
    expect(batchEvaluations(Array.from({ length: 250 }, (_, i) => i)).map((b) => b.length)).toEqual([100, 100, 50]);
    expect(batchEvaluations([])).toEqual([]);
  });
});
