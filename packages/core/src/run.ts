import type { CoverageCounts, FindingCounts } from "./summary.js";
import type { ErrorSummary } from "./errors.js";
import type { CoverageRow } from "./coverage.js";
import type { CoveredInstance } from "./finding.js";
import type { TenantMappingSource } from "./tenant-mapping.js";
import type { AccountInsights } from "./insights/account-insights.js";
import type { WafCounts } from "./waf/waf-summary.js";

/**
 * `interrupted`: stopped by a signal, recorded as it stopped. `abandoned`: its holder died without a word (crash,
 * kill -9, a Lambda timeout): the run still says `running` but its heartbeat expired; a later run that takes over the
 * lease records it as such.
 */
export type RunStatus = "running" | "succeeded" | "partial" | "failed" | "interrupted" | "abandoned";
export type RunTrigger = "cli" | "schedule" | "manual" | "event" | "test";

/** Every run has a record: when, which accounts, counts, errors. */
export interface RunRecord {
  runId: string;
  startedAt: string;
  finishedAt?: string;
  status: RunStatus;
  /** While running: the run's heartbeat keeps pushing this forward; past it, a `running` run is abandoned. */
  heartbeatExpiresAt?: string;
  trigger: RunTrigger;
  /** The principal that ran it (STS caller ARN). */
  actor: string;
  /** How the accounts were read: a member role each, the delegated administrator, or the hub's own credentials. */
  collectionMode: "member-role" | "delegated-admin" | "single-account";
  regions: string[];
  accountsTotal: number;
  accountsAssessed: number;
  accountsFailed: number;
  accountsSkipped: number;
  findingsRead: number;
  findingsWritten: number;
  coverageRows: number;
  counts?: CoverageCounts;
  errors: RunError[];
  /**
   * Problems that do not make the run partial or failed (a configured account the organization does not have).
   * Absent on records written before warnings existed, and when there are none.
   */
  warnings?: RunError[];
}

export interface RunError extends ErrorSummary {
  scope:
    | "organization"
    | "account"
    | "tenant"
    | "report"
    | "email"
    | "assignment"
    | "export"
    | "run"
    | "configuration"
    | "waf";
  /** The account id, tenant name or other input the error belongs to. */
  subject: string;
}

export type AccountRunStatus = "collected" | "unreachable" | "suspended" | "excluded" | "failed";

export interface AccountRunRecord {
  runId: string;
  accountId: string;
  accountName: string;
  ouPath: string;
  status: AccountRunStatus;
  error?: ErrorSummary;
  tenant: string | null;
  tenantSource: TenantMappingSource;
  tenantReason: string;
  findingsRead: number;
  findingsWritten: number;
  inspectorCalls: number;
  collectedAt?: string;
  /** Set once coverage is evaluated for the account. */
  counts?: CoverageCounts;
  findingCounts?: FindingCounts;
  instancesWithoutAgent?: number;
  /** Set with the counts: KPIs, time to shield and the account's first unshielded rows (docs/insights.md). */
  insights?: AccountInsights;
  /** Set when the run's WAF check read the account (docs/integrations.md#waf). */
  waf?: WafCounts;
  /** Set once the report is sent. */
  /** `unchanged`: a re-run in the same week found nothing new for the account, so its report was not sent again. */
  email?: {
    status: "sent" | "skipped" | "failed" | "link" | "unchanged";
    recipients: string[];
    messageId?: string;
    reason?: string;
  };
}

/** What evaluation stores per account and run; reports are rebuilt from it (`wshub report --run`). */
export interface AccountCoverage {
  runId: string;
  accountId: string;
  accountName: string;
  ouPath: string;
  tenant: string | null;
  rows: CoverageRow[];
  instancesWithoutAgent: CoveredInstance[];
  findingCounts: FindingCounts;
  evaluatedAt: string;
}

/** What a run's record means now: a `running` run whose heartbeat has expired is abandoned. */
export function runState(run: Pick<RunRecord, "status" | "heartbeatExpiresAt">, now: Date): RunStatus {
  if (run.status !== "running" || run.heartbeatExpiresAt === undefined) return run.status;
  return now.toISOString() > run.heartbeatExpiresAt ? "abandoned" : "running";
}

/** A finished run's results are complete (a `failed` one may have none); the others' are not. */
export function isRunFinished(status: RunStatus): boolean {
  return status === "succeeded" || status === "partial" || status === "failed";
}

export function newRunId(now: Date, random: () => number = Math.random): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  const suffix = Math.floor(random() * 36 ** 4)
    .toString(36)
    .padStart(4, "0");
  return `run-${stamp}-${suffix}`;
}
