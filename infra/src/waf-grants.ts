import type { Stack } from "aws-cdk-lib";
import { Effect, PolicyStatement, type IRole } from "aws-cdk-lib/aws-iam";
import type { HubConfig } from "@wshub/core";
import type { Deployment } from "./deployment.js";
import { DEFAULT_WAF_WRITE_ROLE_NAME, MEMBER_WAF_READ_ACTIONS } from "./waf-roles.js";

/**
 * The WAF write role of the deployment: deployed when the hub configuration's `waf.mode` is `apply`, named by its
 * `waf.writeRoleName` (the same defaults as the configuration schema: recommend, wshub-waf-writer).
 */
export function wafWriteRoleOf(d: Deployment): { enabled: boolean; roleName: string } {
  const waf = d.hub["waf"];
  const fields: object = typeof waf === "object" && waf !== null ? waf : {};
  const mode = "mode" in fields ? fields.mode : undefined;
  const name = "writeRoleName" in fields ? fields.writeRoleName : undefined;
  return { enabled: mode === "apply", roleName: typeof name === "string" ? name : DEFAULT_WAF_WRITE_ROLE_NAME };
}

export interface WafRoles {
  /** EvaluateAccounts: each account's WAF check (recommend) right after its evaluation. */
  evaluator: IRole;
  /** Assign: the WAF apply over the stored rows (`waf.mode: apply`). */
  applier: IRole;
}

/**
 * The WAF check's permissions in the deployed path, by mode: reads through the member role (single-account: the
 * evaluator's own read-only permissions), and only with `waf.mode: apply` the right to assume the separate WAF write
 * role (`waf.writeRoleName`) in the accounts, which trusts only the assigner. `off` grants nothing.
 */
export function grantWafAccess(stack: Stack, roles: WafRoles, d: Deployment, config: HubConfig): void {
  if (config.waf.mode === "off") return;
  const allow = (role: IRole, actions: string[], resources: string[]) =>
    role.addToPrincipalPolicy(new PolicyStatement({ effect: Effect.ALLOW, actions, resources }));
  const memberRole = config.collection.memberRole?.name;
  if (d.mode === "single-account") allow(roles.evaluator, MEMBER_WAF_READ_ACTIONS, ["*"]);
  else if (memberRole) allow(roles.evaluator, ["sts:AssumeRole"], [`arn:${stack.partition}:iam::*:role/${memberRole}`]);
  if (config.waf.mode !== "apply") return;
  const accounts = d.mode === "single-account" ? stack.account : "*";
  allow(
    roles.applier,
    ["sts:AssumeRole"],
    [`arn:${stack.partition}:iam::${accounts}:role/${config.waf.writeRoleName}`],
  );
}
