import { isAgentRunning, type WsComputer } from "../workload-security.js";
import type { ConfigItemRef } from "./invocation.js";
import { EC2_INSTANCE } from "./invocation.js";
import { acceptedStates, type RuleParameters } from "./parameters.js";

/** What wshub puts: Config refuses INSUFFICIENT_DATA from a Lambda rule, so it never appears here. */
export type ComplianceType = "COMPLIANT" | "NON_COMPLIANT" | "NOT_APPLICABLE";

/** Config's cap on an annotation. */
export const MAX_ANNOTATION = 256;

export interface Verdict {
  compliance: ComplianceType;
  annotation: string;
}

/** NOT_APPLICABLE when the resource left the rule's scope, was deleted, is no instance or is terminated. */
export function notApplicable(
  item: Pick<ConfigItemRef, "resourceType" | "status" | "instanceState">,
  leftScope: boolean,
): Verdict | undefined {
  if (leftScope) return verdict("NOT_APPLICABLE", "the instance left the rule's scope");
  if (item.resourceType !== EC2_INSTANCE)
    return verdict("NOT_APPLICABLE", `${item.resourceType} is not an EC2 instance`);
  if (item.status === "ResourceDeleted" || item.status === "ResourceDeletedNotRecorded")
    return verdict("NOT_APPLICABLE", "the instance was deleted");
  if (item.status === "ResourceNotRecorded") return verdict("NOT_APPLICABLE", "Config does not record the instance");
  if (item.instanceState === "terminated") return verdict("NOT_APPLICABLE", "the instance is terminated");
  return undefined;
}

export interface ComplianceFacts {
  /** The computer carrying the instance id (the most recent agent communication first), if any. */
  computer?: WsComputer;
  /** The computer's policy name as the vendor stores it. */
  policyName?: string;
}

/** One rule's ladder for one instance. */
export function decideCompliance(params: RuleParameters, facts: ComplianceFacts): Verdict {
  const computer = facts.computer;
  if (!computer)
    return verdict(params.unknownInstance, "WS: no Workload Security agent (no computer carries this instance id)");
  if (params.rule === "ws-agent-active") return agentActive(computer);
  if (params.rule === "ws-policy") return policyIs(params.policies, facts.policyName ?? `policy ${computer.policyId}`);
  if (params.rule === "ws-module-on") return moduleOn(params, computer);
  return clearOfWarnings(computer);
}

function agentActive(computer: WsComputer): Verdict {
  if (isAgentRunning(computer.agentStatus)) return verdict("COMPLIANT", `WS: agent ${computer.agentStatus ?? ""}`);
  return verdict(
    "NON_COMPLIANT",
    `WS: agent ${computer.agentStatus ?? "status unknown"}${messages(computer.agentStatusMessages)}`,
  );
}

function policyIs(expected: readonly string[], actual: string): Verdict {
  // Names are compared as the vendor stores them: folding case was the old sample's bug (notes G).
  if (expected.includes(actual)) return verdict("COMPLIANT", `WS policy '${actual}'`);
  return verdict("NON_COMPLIANT", `WS policy '${actual}' (expected: ${expected.map((n) => `'${n}'`).join(", ")})`);
}

function moduleOn(params: Extract<RuleParameters, { rule: "ws-module-on" }>, computer: WsComputer): Verdict {
  const state = computer.modules?.[params.module]?.state;
  const accepted = acceptedStates(params);
  if (state === undefined || !accepted.includes(state))
    return verdict(
      "NON_COMPLIANT",
      `WS ${params.module} is ${state ?? "unknown"} (expected: ${accepted.join(" or ")})`,
    );
  // A module switched on is not enforced by an agent that does not run.
  if (!isAgentRunning(computer.agentStatus))
    return verdict(
      "NON_COMPLIANT",
      `WS ${params.module} is ${state} but the agent is ${computer.agentStatus ?? "status unknown"}`,
    );
  return verdict("COMPLIANT", `WS ${params.module} is ${state}`);
}

function clearOfWarnings(computer: WsComputer): Verdict {
  const problems = warningsOf(computer);
  if (computer.agentStatus === "active" && problems.length === 0)
    return verdict("COMPLIANT", "WS: no warnings or errors");
  const status = computer.agentStatus ?? "status unknown";
  return verdict(
    "NON_COMPLIANT",
    `WS: agent ${status}${messages([...(computer.agentStatusMessages ?? []), ...problems])}`,
  );
}

/** Modules in warning or error, with their messages. */
function warningsOf(computer: WsComputer): string[] {
  return Object.entries(computer.modules ?? {}).flatMap(([name, status]) =>
    status.agentStatus === "warning" || status.agentStatus === "error"
      ? [`${name} ${status.agentStatus}${status.message ? `: ${status.message}` : ""}`]
      : [],
  );
}

function messages(list: readonly string[] | undefined): string {
  const unique = [...new Set(list ?? [])].filter((m) => m.trim() !== "");
  return unique.length === 0 ? "" : ` — ${unique.join("; ")}`;
}

function verdict(compliance: ComplianceType, annotation: string): Verdict {
  return { compliance, annotation: truncateAnnotation(annotation) };
}

/** At most 256 characters (Config's cap), never empty. */
export function truncateAnnotation(text: string): string {
  const trimmed = text.trim() === "" ? "WS" : text.trim();
  return trimmed.length <= MAX_ANNOTATION ? trimmed : `${trimmed.slice(0, MAX_ANNOTATION - 1)}…`;
}
