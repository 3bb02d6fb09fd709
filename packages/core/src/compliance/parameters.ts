import { z } from "zod";
import { ERROR_CODES, WshubError } from "../errors.js";
import { WS_MODULES, type WsModule } from "../workload-security.js";

/** The four Workload Security compliance rules wshub evaluates for AWS Config (docs/integrations.md, AWS Config). */
export const COMPLIANCE_RULES = ["ws-agent-active", "ws-policy", "ws-module-on", "ws-clear-of-warnings"] as const;
export type ComplianceRuleName = (typeof COMPLIANCE_RULES)[number];

/** Config's cap on a rule's InputParameters (botocore `StringWithCharLimit1024`). */
export const MAX_INPUT_PARAMETERS = 1024;

/** The states that count as "on" for each module when a rule names none. */
export const DEFAULT_MODULE_STATES: Record<WsModule, readonly string[]> = {
  antiMalware: ["on"],
  webReputation: ["on"],
  firewall: ["on"],
  intrusionPrevention: ["prevent"],
  integrityMonitoring: ["real-time", "on"],
  logInspection: ["on"],
  applicationControl: ["on"],
  activityMonitoring: ["on"],
};

const common = {
  /** What an instance with no Workload Security computer gets (default NON_COMPLIANT, "no agent"). */
  unknownInstance: z.enum(["NON_COMPLIANT", "NOT_APPLICABLE"]).default("NON_COMPLIANT"),
};

const schema = z.discriminatedUnion("rule", [
  z.strictObject({ rule: z.literal("ws-agent-active"), ...common }),
  z.strictObject({
    rule: z.literal("ws-policy"),
    /** Policy names exactly as the vendor stores them (compared without case folding). */
    policies: z.array(z.string().min(1)).min(1),
    ...common,
  }),
  z.strictObject({
    rule: z.literal("ws-module-on"),
    module: z.enum(WS_MODULES),
    /** Accepted states; default DEFAULT_MODULE_STATES[module]. */
    states: z.array(z.string().min(1)).min(1).optional(),
    ...common,
  }),
  z.strictObject({ rule: z.literal("ws-clear-of-warnings"), ...common }),
]);

export type RuleParameters = z.infer<typeof schema>;

/** A rule's InputParameters JSON, validated; the error names the bad parameter. */
export function parseRuleParameters(json: string | undefined): RuleParameters {
  const text = json ?? "{}";
  if (text.length > MAX_INPUT_PARAMETERS) throw invalid("(all)", `longer than ${MAX_INPUT_PARAMETERS} characters`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalid("(all)", "not JSON");
  }
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const keys = issue && "keys" in issue && Array.isArray(issue.keys) ? issue.keys.join(", ") : "";
  const parameter = keys !== "" ? keys : issue?.path.join(".") || "rule";
  throw invalid(parameter, issue?.message ?? "invalid");
}

function invalid(parameter: string, reason: string): WshubError {
  return new WshubError(
    ERROR_CODES.CONFIG_RULE_PARAMETERS_INVALID,
    `rule parameter ${parameter}: ${reason} (rules: ${COMPLIANCE_RULES.join(", ")})`,
    { parameter },
  );
}

/** The states a ws-module-on rule accepts. */
export function acceptedStates(params: Extract<RuleParameters, { rule: "ws-module-on" }>): readonly string[] {
  return params.states ?? DEFAULT_MODULE_STATES[params.module];
}
