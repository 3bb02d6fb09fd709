import { Effect, PolicyStatement, type IRole } from "aws-cdk-lib/aws-iam";
import type { Stack } from "aws-cdk-lib";
import { roleNames, type Deployment } from "./deployment.js";
import { MEMBER_ROLE_ACTIONS } from "./member-role-stack.js";

export interface AccountReaders {
  /** Lists the accounts (startRun). */
  organizer: IRole;
  /** Reads findings and instances (collect). */
  collector: IRole;
}

/**
 * What the hub's own roles need to reach the accounts, by deployment mode:
 * - single-account: the collector reads its own account directly, with what a member role would be allowed
 *   (Inspector ListFindings, EC2 DescribeInstances); the organizer needs nothing (STS GetCallerIdentity is always allowed);
 * - organization: the organizer assumes the organization read role, the collector the member role in every account
 *   (or the delegated administrator's role, or reads Inspector as the delegated administrator itself).
 */
export function grantAccountAccess(stack: Stack, roles: AccountReaders, d: Deployment, memberRoleName?: string): void {
  const allow = (role: IRole, actions: string[], resources: string[]) =>
    role.addToPrincipalPolicy(new PolicyStatement({ effect: Effect.ALLOW, actions, resources }));
  if (d.mode === "single-account") {
    allow(roles.collector, MEMBER_ROLE_ACTIONS, ["*"]);
    return;
  }
  const organizationRead = roleNames(d.prefix).organizationRead;
  allow(
    roles.organizer,
    ["sts:AssumeRole"],
    [`arn:${stack.partition}:iam::${d.managementAccountId}:role/${organizationRead}`],
  );
  if (memberRoleName)
    allow(roles.collector, ["sts:AssumeRole"], [`arn:${stack.partition}:iam::*:role/${memberRoleName}`]);
  const admin = (d.hub["collection"] as { delegatedAdmin?: { roleArn?: string } } | undefined)?.delegatedAdmin?.roleArn;
  if (admin) allow(roles.collector, ["sts:AssumeRole"], [admin]);
  else allow(roles.collector, ["inspector2:ListFindings", "inspector2:ListCoverage"], ["*"]);
}
