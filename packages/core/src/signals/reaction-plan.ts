import type { SignalSettings } from "../config.js";
import type { OrgAccount } from "../organization.js";
import { isAgentRunning, type WsComputer } from "../workload-security.js";
import { typeFamily, type Rejection, type SecuritySignal } from "./signal.js";

/** Why an instance is not protected, in the coverage vocabulary so the notice and the report agree. */
export type Unprotection = "no-computer" | "agent-inactive" | "ips-off";

export type Protection =
  | { protected: true; computer: WsComputer }
  | { protected: false; reason: Unprotection; detail: string; computer?: WsComputer };

/** Protected = a computer carries the instance, its agent runs (`isAgentRunning`) and IPS is on (prevent or detect). */
export function protectionOf(computer: WsComputer | undefined): Protection {
  if (!computer) return { protected: false, reason: "no-computer", detail: "no Workload Security computer carries it" };
  if (!isAgentRunning(computer.agentStatus))
    return {
      protected: false,
      reason: "agent-inactive",
      detail: `its agent is ${computer.agentStatus ?? "of unknown status"}`,
      computer,
    };
  if (computer.ipsState !== "prevent" && computer.ipsState !== "detect")
    return {
      protected: false,
      reason: "ips-off",
      detail: `intrusion prevention is ${computer.ipsState ?? "unknown"}`,
      computer,
    };
  return { protected: true, computer };
}

/** Integrity monitoring that is off (or unknown) cannot verify anything: recorded as such, never faked. */
export function canVerifyIntegrity(computer: WsComputer): boolean {
  return computer.integrityState !== undefined && computer.integrityState !== "off";
}

export const UNPROTECTED_FIX: Record<Unprotection, string> = {
  "no-computer": "deploy the Workload Security agent on the instance and activate it",
  "agent-inactive": "repair or reactivate the agent (it does not enforce rules now)",
  "ips-off": "turn intrusion prevention on in the computer's policy",
};

export type ReactionStep =
  | { kind: "scan"; instanceId: string; computer: WsComputer; integrity: "scan" | "cannot-verify" | "not-asked" }
  | { kind: "assign"; instanceId: string; computer: WsComputer; cve: string }
  | { kind: "notify"; instanceId: string; reason: Unprotection; detail: string; computer?: WsComputer };

export type ReactionPlan =
  | { kind: "act"; tenant: string; account: OrgAccount; steps: ReactionStep[] }
  | { kind: "reject"; rejection: Rejection };

export interface ReactionInput {
  signal: SecuritySignal;
  account: OrgAccount | undefined;
  tenant: string | null;
  /** The instances to act on (the finding's own; for Macie those running with a role that may access the bucket). */
  instanceIds: string[];
  /** Instance → its computer (the most recent one when several carry it); absent: none. */
  computers: ReadonlyMap<string, WsComputer>;
  settings: SignalSettings;
}

/** The ladder, top to bottom: who the finding concerns, whether it is one wshub acts on, then each instance. */
export function planReaction(input: ReactionInput): ReactionPlan {
  const { signal, account, tenant } = input;
  if (!account) return reject("not-in-organization", `account ${signal.accountId} is not in the organization`);
  if (tenant === null) return reject("no-tenant", `account ${signal.accountId} maps to no Workload Security tenant`);
  const rejection = findingRejection(input);
  if (rejection) return { kind: "reject", rejection };
  return { kind: "act", tenant, account, steps: input.instanceIds.map((instanceId) => stepFor(input, instanceId)) };
}

function reject(reason: Rejection["reason"], detail: string): ReactionPlan {
  return { kind: "reject", rejection: { reason, detail } };
}

function findingRejection(input: ReactionInput): Rejection | undefined {
  const { signal } = input;
  if (signal.source === "guardduty" && !input.settings.guardDutyTypes.includes(typeFamily(signal.type)))
    return { reason: "type-ignored", detail: `GuardDuty type ${signal.type} is not one wshub reacts to` };
  if (signal.source === "inspector" && signal.finding?.status === "CLOSED")
    return {
      reason: "finding-closed",
      detail: "the Inspector finding is closed (a rollback is a proposal, never automatic)",
    };
  if (signal.source === "inspector" && !signal.cve)
    return { reason: "unknown-shape", detail: "the Inspector finding names no vulnerability id" };
  if (input.instanceIds.length === 0)
    return {
      reason: "no-instance",
      detail:
        signal.source === "macie"
          ? `no EC2 instance runs with a role that may access bucket ${signal.bucket?.name ?? "?"}`
          : "the finding names no EC2 instance",
    };
  return undefined;
}

function stepFor(input: ReactionInput, instanceId: string): ReactionStep {
  const protection = protectionOf(input.computers.get(instanceId));
  if (!protection.protected) {
    const { reason, detail, computer } = protection;
    return { kind: "notify", instanceId, reason, detail, ...(computer ? { computer } : {}) };
  }
  const computer = protection.computer;
  const cve = input.signal.cve;
  if (input.signal.source === "inspector" && cve) return { kind: "assign", instanceId, computer, cve };
  const integrity = !input.settings.integrityScan
    ? "not-asked"
    : canVerifyIntegrity(computer)
      ? "scan"
      : "cannot-verify";
  return { kind: "scan", instanceId, computer, integrity };
}

/** One scan per computer per window: the key the coalescing store holds, and when its window ends. */
export function coalescingKey(tenant: string, computerId: number): string {
  return `${tenant}#${computerId}`;
}

export function windowEnd(now: Date, minutes: number): Date {
  return new Date(now.getTime() + minutes * 60_000);
}
