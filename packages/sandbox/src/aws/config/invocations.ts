import { readFileSync } from "node:fs";
import type { ConfigStore } from "./store.js";

/** The retired sample's real invocation (../shared/fixtures/aws/config/), the template every invocation is built on. */
const FIXTURE = new URL("../../../fixtures/config/config-rule-invocation-event.json", import.meta.url);

interface Template {
  event: Record<string, unknown>;
  item: Record<string, unknown> & { configuration: Record<string, unknown> };
}

let template: Template | undefined;

function loadTemplate(): Template {
  if (!template) {
    const event = JSON.parse(readFileSync(FIXTURE, "utf8")) as Record<string, unknown>;
    const invoking = JSON.parse(String(event["invokingEvent"])) as { configurationItem: Template["item"] };
    template = { event, item: invoking.configurationItem };
  }
  return template;
}

export type InvocationKind = "change" | "oversized" | "scheduled";

export interface InvocationRequest {
  kind: InvocationKind;
  ruleName: string;
  /** The rule's InputParameters (an object, sent as JSON; a string is sent as given). */
  parameters: Record<string, unknown> | string;
  accountId: string;
  region: string;
  /** Change and oversized notifications: the instance. */
  instanceId?: string;
  /** configurationItemStatus (default OK). */
  status?: string;
  /** EC2 state name (default running). */
  instanceState?: string;
  eventLeftScope?: boolean;
  /** ISO time of the item / notification (default now). */
  at?: string;
}

/**
 * A Config rule invocation as Config would deliver it to the Lambda, with a result token the emulator accepts from
 * that account and region. An oversized notification carries only the summary; its full item is recorded, so
 * GetResourceConfigHistory answers it.
 */
export function buildInvocation(store: ConfigStore, request: InvocationRequest): Record<string, unknown> {
  const { event } = loadTemplate();
  const at = request.at ?? new Date().toISOString();
  const ruleArn = `arn:aws:config:${request.region}:${request.accountId}:config-rule/config-rule-${request.ruleName}`;
  return {
    ...event,
    configRuleId: `config-rule-${request.ruleName}`,
    configRuleName: request.ruleName,
    configRuleArn: ruleArn,
    accountId: request.accountId,
    executionRoleArn: `arn:aws:iam::${request.accountId}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`,
    resultToken: store.issueToken({ ruleName: request.ruleName, accountId: request.accountId, region: request.region }),
    eventLeftScope: request.eventLeftScope ?? false,
    ruleParameters: typeof request.parameters === "string" ? request.parameters : JSON.stringify(request.parameters),
    invokingEvent: JSON.stringify(invokingEvent(store, request, at)),
  };
}

function invokingEvent(store: ConfigStore, request: InvocationRequest, at: string): Record<string, unknown> {
  const base = { notificationCreationTime: at, recordVersion: "1.3" };
  if (request.kind === "scheduled")
    return { ...base, awsAccountId: request.accountId, messageType: "ScheduledNotification" };
  const { item, configuration } = configurationItem(request, at);
  if (request.kind === "change")
    return {
      ...base,
      configurationItemDiff: null,
      configurationItem: item,
      messageType: "ConfigurationItemChangeNotification",
    };
  store.record({
    accountId: request.accountId,
    region: request.region,
    resourceType: String(item["resourceType"]),
    resourceId: String(item["resourceId"]),
    status: String(item["configurationItemStatus"]),
    captureTime: at,
    configuration,
  });
  const { configuration: _c, relationships: _r, supplementaryConfiguration: _s, ...summary } = item;
  return { ...base, configurationItemSummary: summary, messageType: "OversizedConfigurationItemChangeNotification" };
}

function configurationItem(
  request: InvocationRequest,
  at: string,
): { item: Record<string, unknown>; configuration: Record<string, unknown> } {
  const { item: template } = loadTemplate();
  const instanceId = request.instanceId ?? "i-00000000000000000";
  const state = request.instanceState ?? "running";
  const configuration = {
    ...template.configuration,
    instanceId,
    state: { code: state === "running" ? 16 : 48, name: state },
  };
  const item = {
    ...template,
    configuration,
    configurationItemCaptureTime: at,
    awsAccountId: request.accountId,
    configurationItemStatus: request.status ?? "OK",
    resourceId: instanceId,
    ARN: `arn:aws:ec2:${request.region}:${request.accountId}:instance/${instanceId}`,
    awsRegion: request.region,
    availabilityZone: `${request.region}a`,
  };
  return { item, configuration };
}
