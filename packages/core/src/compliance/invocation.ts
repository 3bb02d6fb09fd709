import { z } from "zod";
import { ERROR_CODES, WshubError } from "../errors.js";
import { parseRuleParameters, type RuleParameters } from "./parameters.js";

/** The resource type the rules are scoped to. */
export const EC2_INSTANCE = "AWS::EC2::Instance";

/** What Config says about one resource: a full configuration item, or the summary of an oversized one. */
export interface ConfigItemRef {
  resourceType: string;
  resourceId: string;
  /** OK, ResourceDiscovered, ResourceDeleted, ResourceNotRecorded, ResourceDeletedNotRecorded. */
  status: string;
  captureTime: string;
  accountId: string;
  region: string;
  /** `configuration.state.name` when the item carries its configuration (not in a summary). */
  instanceState?: string;
}

export type InvokingMessage =
  | { kind: "change"; item: ConfigItemRef }
  /** Only the summary came: the item must be read with GetResourceConfigHistory. */
  | { kind: "oversized"; item: ConfigItemRef }
  | { kind: "scheduled"; notificationCreationTime: string };

export interface ConfigInvocation {
  ruleName: string;
  ruleArn: string;
  resultToken: string;
  /** The member account the rule runs in (where evaluations are put). */
  accountId: string;
  region: string;
  eventLeftScope: boolean;
  parameters: RuleParameters;
  message: InvokingMessage;
}

const envelope = z.object({
  configRuleName: z.string().min(1),
  configRuleArn: z.string().min(1),
  resultToken: z.string().min(1),
  accountId: z.string().regex(/^\d{12}$/),
  invokingEvent: z.string(),
  ruleParameters: z.string().optional(),
  eventLeftScope: z.boolean().optional(),
});

const item = z.object({
  resourceType: z.string().min(1),
  resourceId: z.string().min(1),
  configurationItemStatus: z.string().min(1),
  configurationItemCaptureTime: z.string().min(1),
  awsAccountId: z.string().min(1),
  awsRegion: z.string().min(1),
  configuration: z
    .object({ state: z.object({ name: z.string() }).partial().nullish() })
    .partial()
    .nullish(),
});

const invoking = z.discriminatedUnion("messageType", [
  z.object({ messageType: z.literal("ConfigurationItemChangeNotification"), configurationItem: item }),
  z.object({ messageType: z.literal("OversizedConfigurationItemChangeNotification"), configurationItemSummary: item }),
  z.object({ messageType: z.literal("ScheduledNotification"), notificationCreationTime: z.string().min(1) }),
]);

/** A Config custom Lambda rule invocation, checked; an unknown shape is a typed error naming what is wrong. */
export function parseConfigInvocation(event: unknown): ConfigInvocation {
  const outer = envelope.safeParse(event);
  if (!outer.success) throw unknownShape(outer.error, "event");
  const inner = invoking.safeParse(parseJson(outer.data.invokingEvent));
  if (!inner.success) throw unknownShape(inner.error, "invokingEvent");
  const e = outer.data;
  return {
    ruleName: e.configRuleName,
    ruleArn: e.configRuleArn,
    resultToken: e.resultToken,
    accountId: e.accountId,
    region: regionOfArn(e.configRuleArn),
    eventLeftScope: e.eventLeftScope ?? false,
    parameters: parseRuleParameters(e.ruleParameters),
    message: messageOf(inner.data),
  };
}

function messageOf(data: z.infer<typeof invoking>): InvokingMessage {
  if (data.messageType === "ScheduledNotification")
    return { kind: "scheduled", notificationCreationTime: data.notificationCreationTime };
  if (data.messageType === "OversizedConfigurationItemChangeNotification")
    return { kind: "oversized", item: itemRef(data.configurationItemSummary) };
  return { kind: "change", item: itemRef(data.configurationItem) };
}

export function itemRef(wire: z.infer<typeof item>): ConfigItemRef {
  const ref: ConfigItemRef = {
    resourceType: wire.resourceType,
    resourceId: wire.resourceId,
    status: wire.configurationItemStatus,
    captureTime: wire.configurationItemCaptureTime,
    accountId: wire.awsAccountId,
    region: wire.awsRegion,
  };
  const state = wire.configuration?.state?.name;
  if (state !== undefined) ref.instanceState = state;
  return ref;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function regionOfArn(arn: string): string {
  return arn.split(":")[3] ?? "";
}

function unknownShape(error: z.ZodError, where: string): WshubError {
  const issue = error.issues[0];
  const field = issue?.path.join(".") || where;
  return new WshubError(
    ERROR_CODES.CONFIG_INVOCATION_INVALID,
    `Config rule invocation of unknown shape: ${where} ${field}: ${issue?.message ?? "invalid"}`,
    { field: `${where}.${field}` },
  );
}
