import {
  assignmentModeFor,
  planAssignments,
  type AssignmentPlan,
  type AssignmentSettings,
} from "../assignment-plan.js";
import type { AssignmentMode } from "../config.js";
import { evaluateCoverage, groupCoverageUnits, type CoverageRow } from "../coverage.js";
import type { Finding } from "../finding.js";
import type { OrgAccount } from "../organization.js";
import { buildTenantIndex, type TenantIndex } from "../tenant-index.js";
import type { IpsRule, WsComputer, WsPolicy } from "../workload-security.js";

export interface InspectorAssignmentInput {
  tenant: string;
  finding: Finding;
  account: OrgAccount;
  /** The organization's accounts: a policy change reaching one outside the allow-list is blocked. */
  organization: readonly OrgAccount[];
  /** The rules of the tenant's catalog that list the finding's CVE. */
  coveringRules: IpsRule[];
  /** The instance's computer and, for a policy target, every computer the policy reaches (the blast-radius guard rail). */
  computers: WsComputer[];
  policies: WsPolicy[];
  tenantMode: AssignmentMode | undefined;
  settings: AssignmentSettings;
}

/**
 * One Inspector finding through the weekly run's own path: its coverage unit, evaluated by coverage.md's ladder, then
 * the assignment planner with its modes and guard rails. No second CVE → rule path.
 */
export function planInspectorAssignment(input: InspectorAssignmentInput): {
  rows: CoverageRow[];
  plan: AssignmentPlan;
  index: TenantIndex;
} {
  const index = buildTenantIndex({
    tenant: input.tenant,
    rules: input.coveringRules,
    computers: input.computers,
    fetchedAt: new Date(0).toISOString(),
  });
  const rows = evaluateCoverage(groupCoverageUnits([input.finding]), input.account, index);
  const plan = planAssignments({
    tenant: input.tenant,
    rows,
    index,
    policies: input.policies,
    accounts: new Map([...input.organization, input.account].map((a) => [a.id, a])),
    modeFor: (account) => assignmentModeFor(account, input.tenantMode, input.settings),
    settings: input.settings,
  });
  return { rows, plan, index };
}
