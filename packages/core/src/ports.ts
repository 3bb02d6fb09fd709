/**
 * The ports: what the use cases in @wshub/hub need from the outside world. Each adapter package implements some
 * of them around a client it receives in its constructor. Nothing here does I/O.
 */
import type { AccountCoverage, AccountRunRecord, RunError, RunRecord } from "./run.js";
import type { CoverageCounts, FindingCounts } from "./summary.js";
import type { CoveredInstance, Finding } from "./finding.js";
import type { OrganizationListing } from "./organization.js";
import type { TenantSnapshot, WsApplicationType, WsComputer, WsPolicy } from "./workload-security.js";
import type { RuleCatalog } from "./rule-catalog.js";
import type { AccountInsights } from "./insights/account-insights.js";
import type { ExportChange, ExportLedger } from "./insights/security-hub-plan.js";
import type { ConfigEvaluation } from "./compliance/evaluations.js";
import type { ConfigItemRef } from "./compliance/invocation.js";
import type { AccountWafResult, ComplianceRow } from "./waf/waf-summary.js";

export interface ComplianceFleet {
  tenant: string;
  computers: WsComputer[];
  policies: WsPolicy[];
}

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

// ---------------------------------------------------------------- AWS side

export interface OrganizationReader {
  listOrganization(): Promise<OrganizationListing>;
}

export interface FindingsQuery {
  accountIds: string[];
  region: string;
  /** Only findings whose `updatedAt` is at or after this instant (incremental runs). */
  updatedSince?: Date;
}

export interface InspectorReader {
  /** Pages of findings (all statuses, types and resources: wshub stores them all). */
  listFindings(query: FindingsQuery): AsyncIterable<Finding[]>;
  /** EC2 instances Inspector covers, with or without findings. */
  listEc2Instances(query: { accountIds: string[]; region: string }): AsyncIterable<CoveredInstance[]>;
  /** API calls this reader has made (for the run record). */
  readonly calls: number;
}

export interface InspectorAccess {
  readonly mode: RunRecord["collectionMode"];
  /** 1 for member roles (one account per role); 10 for the delegated administrator (Inspector's filter cap). */
  readonly maxAccountsPerQuery: number;
  readerFor(accountIds: string[], region: string): Promise<InspectorReader>;
}

export interface SecretReader {
  /** The API key stored in a secret: a plain string or JSON with an `apiKey` field. Never logged. */
  readApiKey(secretId: string): Promise<string>;
}

export interface OutgoingEmail {
  from: string;
  to: string[];
  subject: string;
  /** The complete MIME message. */
  raw: Buffer;
}

export interface Mailer {
  send(message: OutgoingEmail): Promise<{ messageId: string }>;
}

export interface LinkPublisher {
  /** Upload a file and return a presigned URL valid for `expiresInSeconds`. */
  publish(key: string, body: Buffer, contentType: string, expiresInSeconds: number): Promise<string>;
}

/** Security Hub, as wshub feeds it (ASFF via BatchImportFindings); the adapter builds the findings. */
export interface SecurityHubPublisher {
  /** Import the changes; what Security Hub refused comes back by key, with its reason. */
  publish(changes: readonly ExportChange[]): Promise<{ failed: { key: string; message: string }[]; calls: number }>;
}

/** The customer's archive bucket. */
export interface ArchiveWriter {
  put(key: string, body: Buffer, contentType: string): Promise<void>;
}

export interface CallerIdentity {
  accountId: string;
  arn: string;
}

// ---------------------------------------------------------------- Workload Security

export type AssignmentTargetKind = "computer" | "policy";

export interface AssignmentTarget {
  kind: AssignmentTargetKind;
  id: number;
}

export interface WorkloadSecurityTenantApi {
  readonly tenant: string;
  /**
   * Whole catalog and fleet by keyset paging; policies only when asked (assignment planning). Given the catalog kept
   * from a full read, only the rules modified since are read.
   */
  loadSnapshot(options: { includePolicies: boolean; catalog?: RuleCatalog }): Promise<TenantSnapshot>;
  /**
   * Computers with their module states and status messages, and the policies (for names): the whole fleet paged
   * once, or only the computers carrying one instance id (`POST /computers/search`, one call).
   */
  loadComplianceFleet(options: { instanceId?: string }): Promise<ComplianceFleet>;
  /** One call for all the rule IDs; returns the rule IDs the API says are assigned afterwards. */
  addRules(target: AssignmentTarget, ruleIds: number[]): Promise<number[]>;
  removeRule(target: AssignmentTarget, ruleId: number): Promise<number[]>;
  /** Rule IDs assigned directly on the target (`overrides=true`). */
  directRuleIds(target: AssignmentTarget): Promise<number[]>;
  /** The tenant's IPS application types (the WAF check classifies by their names). */
  loadApplicationTypes?(): Promise<WsApplicationType[]>;
  /** Calls made so far. */
  readonly calls: number;
}

// ---------------------------------------------------------------- Stores

export interface FindingStore {
  /** Stored fingerprints of these findings of one account (absent: not stored yet). */
  fingerprints(accountId: string, findingArns: string[]): Promise<Map<string, string>>;
  /** Write findings (new or changed); returns how many were written. */
  put(findings: Finding[]): Promise<number>;
  /** Every stored finding of an account, in pages. */
  findingsOf(accountId: string): AsyncIterable<Finding[]>;
  /** Changes whenever any finding of the account is written (by a run or by an event handler). */
  version(accountId: string): Promise<string | undefined>;
}

export interface Watermark {
  accountId: string;
  region: string;
  /** When the last successful collection of this account and region started. */
  collectedFrom: string;
  runId: string;
}

/**
 * What an account's coverage was computed from, kept as separate fields: its stored findings (by version), and one
 * digest of everything else its rows read (the tenant's data at the account's keys, its instances, name, OU, tenant).
 */
export interface CoverageInputs {
  /** The account's findings version ("none" when it has none stored). */
  findingsVersion: string;
  context: string;
  /** The tenant keys the rows read, so a later run can fingerprint the same keys without loading the rows. */
  keys: CoverageKeys;
}

export interface CoverageKeys {
  /** Normalised vulnerability ids (the rules covering each). */
  vulnerabilityIds: string[];
  /** Instance ids (the computers carrying each). */
  instanceIds: string[];
}

export interface CoverageStamp {
  runId: string;
  inputs: CoverageInputs;
  /** Digest of what the account's report shows (rows, instances without agent, name, OU): equal means same report. */
  content: string;
  counts: CoverageCounts;
  findingCounts: FindingCounts;
  instancesWithoutAgent: number;
  evaluatedAt: string;
  /** KPIs, time to shield and top rows of that evaluation (absent on stamps written before insights existed). */
  insights?: AccountInsights;
}

/** The last report mailed for an account: a re-run in the same week with the same content and recipients sends nothing. */
export interface ReportStamp {
  runId: string;
  week: string;
  /** The coverage stamp's `content` (for the roll-up: a digest of what it says). */
  content: string;
  recipients: string[];
  sentAt: string;
}

export interface RunStore {
  createRun(run: RunRecord): Promise<void>;
  updateRun(run: RunRecord): Promise<void>;
  /** Push a running run's heartbeat forward; false when the run is no longer `running`. */
  heartbeat(runId: string, expiresAt: string): Promise<boolean>;
  /** End a run that is still `running` as interrupted or abandoned, with the reason; false when it had already ended. */
  closeUnfinished(runId: string, status: "interrupted" | "abandoned", at: string, error: RunError): Promise<boolean>;
  getRun(runId: string): Promise<RunRecord | undefined>;
  /** Most recent runs first; with `until`, only runs that started at or before that run (a run id, itself included). */
  listRuns(limit: number, until?: Pick<RunRecord, "runId" | "startedAt">): Promise<RunRecord[]>;
  putAccountRun(record: AccountRunRecord): Promise<void>;
  listAccountRuns(runId: string): Promise<AccountRunRecord[]>;
  getAccountRun(runId: string, accountId: string): Promise<AccountRunRecord | undefined>;
  getWatermark(accountId: string, region: string): Promise<Watermark | undefined>;
  setWatermark(watermark: Watermark): Promise<void>;
  /** Store an account's coverage for a run; `inputs` says what it was computed from. */
  putCoverage(coverage: AccountCoverage, inputs: CoverageInputs, insights?: AccountInsights): Promise<void>;
  /** This run's coverage of the account is the stamped run's (nothing it depends on changed): store a link, not a copy. */
  linkCoverage(runId: string, accountId: string, stamp: CoverageStamp): Promise<void>;
  getCoverage(runId: string, accountId: string): Promise<AccountCoverage | undefined>;
  listCoverageAccounts(runId: string): Promise<string[]>;
  /** The account's latest evaluation: which run, from which inputs, with which counts. */
  latestCoverage(accountId: string): Promise<CoverageStamp | undefined>;
  lastReport(accountId: string): Promise<ReportStamp | undefined>;
  setLastReport(accountId: string, stamp: ReportStamp): Promise<void>;
  /** The organization as the run saw it (the Lambda steps of one run share it instead of listing it again). */
  putOrganization(runId: string, listing: OrganizationListing): Promise<void>;
  getOrganization(runId: string): Promise<OrganizationListing | undefined>;
  /** EC2 instances Inspector listed for an account in a run (collection writes, evaluation reads). */
  putInstances(runId: string, accountId: string, instances: CoveredInstance[]): Promise<void>;
  getInstances(runId: string, accountId: string): Promise<CoveredInstance[]>;
  /** A tenant's catalog and fleet as one run read them (the deployed path evaluates account batches from it). */
  putTenantSnapshot(runId: string, snapshot: TenantSnapshot): Promise<void>;
  /** A tenant's IPS rules kept between runs (rule-catalog.ts). */
  putRuleCatalog(catalog: RuleCatalog): Promise<void>;
  getRuleCatalog(tenant: string): Promise<RuleCatalog | undefined>;
  getTenantSnapshot(runId: string, tenant: string): Promise<TenantSnapshot | undefined>;
  /** An account's WAF check of the run (evaluation writes, reports and the apply step read). */
  putWafResult(runId: string, result: AccountWafResult): Promise<void>;
  getWafResult(runId: string, accountId: string): Promise<AccountWafResult | undefined>;
  /** An account's Config rule results of the run (`compliance.inRun`). */
  putComplianceRows(runId: string, accountId: string, rows: ComplianceRow[]): Promise<void>;
  getComplianceRows(runId: string, accountId: string): Promise<ComplianceRow[] | undefined>;
  /** What an export (e.g. "securityhub") last handed over for an account; empty when nothing yet. */
  getExportLedger(accountId: string, exportName: string): Promise<ExportLedger>;
  putExportLedger(accountId: string, exportName: string, ledger: ExportLedger): Promise<void>;
}

// ---------------------------------------------------------------- AWS Config (compliance rules)

/** AWS Config in one member account and region, through the member role. */
export interface ConfigEvaluationsApi {
  /** One PutEvaluations call (at most 100 evaluations); returns the resource ids Config reported as failed. */
  put(resultToken: string, evaluations: readonly ConfigEvaluation[]): Promise<{ failedResourceIds: string[] }>;
  /** The item Config recorded at or before `laterTime` (GetResourceConfigHistory, limit 1): oversized notifications. */
  configurationItem(resource: { resourceType: string; resourceId: string; laterTime: string }): Promise<ConfigItemRef>;
  /** The account's EC2 instances in the region (periodic evaluation). */
  listInstances(): AsyncIterable<CoveredInstance[]>;
  /** Calls made so far (PutEvaluations and GetResourceConfigHistory). */
  readonly calls: { putEvaluations: number; getResourceConfigHistory: number };
}

export interface ConfigAccess {
  forAccount(accountId: string, region: string): Promise<ConfigEvaluationsApi>;
}
