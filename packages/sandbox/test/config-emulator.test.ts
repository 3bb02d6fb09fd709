import { describe, expect, it } from "vitest";
import { buildInvocation, ConfigStore, serveConfig } from "../src/aws/index.js";

const caller = { accountId: "333333333333", arn: "arn:aws:sts::333333333333:assumed-role/wshub-member-read/wshub" };
const region = "us-east-1";

function call(store: ConfigStore, operation: string, body: unknown, who = caller) {
  const answer = serveConfig(store, { operation, body: Buffer.from(JSON.stringify(body)), caller: who, region });
  return answer && { status: answer.status, body: JSON.parse(answer.body) as Record<string, unknown> };
}

const evaluation = (id: string, fields: Record<string, unknown> = {}) => ({
  ComplianceResourceType: "AWS::EC2::Instance",
  ComplianceResourceId: id,
  ComplianceType: "COMPLIANT",
  Annotation: "ok",
  OrderingTimestamp: 1_800_000_000,
  ...fields,
});

describe("the sandbox's Config emulator", () => {
  const store = new ConfigStore();
  const token = store.issueToken({ ruleName: "r", accountId: caller.accountId, region });

  it("validates PutEvaluations as AWS does", () => {
    const put = (evaluations: unknown[], resultToken = token) =>
      call(store, "PutEvaluations", { ResultToken: resultToken, Evaluations: evaluations })?.body["__type"];
    expect(put(Array.from({ length: 101 }, (_, i) => evaluation(`i-${i}`)))).toBe("ValidationException");
    expect(put([evaluation("i-1", { Annotation: "x".repeat(257) })])).toBe("ValidationException");
    expect(put([evaluation("i-1", { ComplianceType: "INSUFFICIENT_DATA" })])).toBe("ValidationException");
    expect(put([evaluation("i-1")], "forged")).toBe("InvalidResultTokenException");
    expect(put([evaluation("i-1")])).toBeUndefined();
    expect(store.putCalls).toBe(1);
  });

  it("refuses a token issued for another account", () => {
    const other = { ...caller, accountId: "444444444444" };
    const answer = call(store, "PutEvaluations", { ResultToken: token, Evaluations: [evaluation("i-2")] }, other);
    expect(answer?.body["__type"]).toBe("InvalidResultTokenException");
  });

  it("serves the compliance reads and keeps the latest result per resource", () => {
    call(store, "PutEvaluations", {
      ResultToken: token,
      Evaluations: [evaluation("i-1", { ComplianceType: "NON_COMPLIANT", OrderingTimestamp: 1_800_000_100 })],
    });
    call(store, "PutEvaluations", { ResultToken: token, Evaluations: [evaluation("i-1", { OrderingTimestamp: 1 })] });
    const details = call(store, "GetComplianceDetailsByConfigRule", { ConfigRuleName: "r" })?.body;
    expect(details?.["EvaluationResults"]).toMatchObject([{ ComplianceType: "NON_COMPLIANT" }]);
    const byResource = call(store, "DescribeComplianceByResource", { ResourceType: "AWS::EC2::Instance" })?.body;
    expect(byResource?.["ComplianceByResources"]).toMatchObject([
      { ResourceId: "i-1", Compliance: { ComplianceType: "NON_COMPLIANT" } },
    ]);
  });

  it("answers the history of an oversized item it delivered, and hands other operations to moto", () => {
    const event = buildInvocation(store, {
      kind: "oversized",
      ruleName: "r",
      parameters: { rule: "ws-agent-active" },
      accountId: caller.accountId,
      region,
      instanceId: "i-9",
      at: "2026-12-01T10:00:00.000Z",
    });
    expect(JSON.parse(String(event["invokingEvent"]))).not.toHaveProperty("configurationItemSummary.configuration");
    const history = call(store, "GetResourceConfigHistory", {
      resourceType: "AWS::EC2::Instance",
      resourceId: "i-9",
      laterTime: 1_900_000_000,
    });
    expect(history?.body["configurationItems"]).toMatchObject([{ resourceId: "i-9", configurationItemStatus: "OK" }]);
    expect(call(store, "DescribeConfigRules", {})).toBeUndefined();
  });
});
