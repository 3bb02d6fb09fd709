import type {
  AccountCoverage,
  AccountSections,
  AccountRunRecord,
  ArchiveWriter,
  AuditEvent,
  AuditStore,
  CallerIdentity,
  Clock,
  ConfigAccess,
  CoverageCounts,
  FindingStore,
  HubConfig,
  InspectorAccess,
  LeaseStore,
  LinkPublisher,
  Logger,
  Mailer,
  OrganizationInsights,
  OrgAccount,
  OrganizationReader,
  ReportInsights,
  RunRecord,
  RunStore,
  SecretReader,
  SecurityHubPublisher,
  TenantConfig,
  WafAccess,
  WorkloadSecurityTenantApi,
} from "@wshub/core";

/** A file the report renderer produced. */
export interface RenderedFile {
  filename: string;
  contentType: string;
  content: Buffer;
  /** Where it was written, when the renderer writes to disk. */
  path?: string;
}

export interface ReportMeta {
  runId: string;
  week: string;
  generatedAt: string;
  /** When the run started: the instant ages and days exposed are measured at (absent: generatedAt). */
  startedAt?: string;
}

export interface AttachmentLink {
  filename: string;
  url: string;
  expiresAt: string;
}

/** Implemented by @wshub/reports; the hub only decides what to render, for whom, and how to send it. */
export interface ReportRenderer {
  accountFiles(
    coverage: AccountCoverage,
    counts: CoverageCounts,
    meta: ReportMeta,
    insights?: ReportInsights,
    sections?: AccountSections,
  ): Promise<RenderedFile[]>;
  assignmentFiles(events: AuditEvent[], scope: string, meta: ReportMeta): Promise<RenderedFile[]>;
  archiveFiles(coverage: AccountCoverage, meta: ReportMeta): Promise<{ csv: Buffer; jsonl: Buffer }>;
  rollupFiles(
    run: RunRecord,
    accounts: AccountRunRecord[],
    meta: ReportMeta,
    insights?: OrganizationInsights,
  ): Promise<RenderedFile[]>;
  accountEmail(input: {
    from: string;
    to: string[];
    coverage: AccountCoverage;
    counts: CoverageCounts;
    meta: ReportMeta;
    insights?: ReportInsights;
    attachments: RenderedFile[];
    links: AttachmentLink[];
  }): Promise<{ subject: string; raw: Buffer }>;
  rollupEmail(input: {
    from: string;
    to: string[];
    run: RunRecord;
    accounts: AccountRunRecord[];
    meta: ReportMeta;
    insights?: OrganizationInsights;
    attachments: RenderedFile[];
    links: AttachmentLink[];
  }): Promise<{ subject: string; raw: Buffer }>;
}

/** Progress for a terminal; a no-op elsewhere. */
export interface ProgressListener {
  stage(name: string, detail?: string): void;
  accountCollected(accountId: string, findingsRead: number, ok: boolean): void;
  accountsPlanned(total: number): void;
}

export const silentProgress: ProgressListener = {
  stage: () => {},
  accountCollected: () => {},
  accountsPlanned: () => {},
};

/** Renders and mails one account's report somewhere else (the CLI uses a worker thread); default: in process. */
export type AccountReporter = (
  runId: string,
  account: OrgAccount,
  options: { assignmentEvents: AuditEvent[]; meta: ReportMeta; coverage?: AccountCoverage; sections?: AccountSections },
) => Promise<NonNullable<AccountRunRecord["email"]>>;

export type TenantApiFactory = (tenant: TenantConfig, apiKey: string) => WorkloadSecurityTenantApi;

/** Everything a use case may touch, built by the app (CLI or Lambda) from configuration. */
export interface HubContext {
  config: HubConfig;
  organization: OrganizationReader;
  inspector: InspectorAccess;
  secrets: SecretReader;
  tenantApi: TenantApiFactory;
  findings: FindingStore;
  runs: RunStore;
  audit: AuditStore;
  leases: LeaseStore;
  renderer: ReportRenderer;
  /** Absent: reports are written but not sent. */
  mailer?: Mailer;
  /** Present when `insights.securityHub` is configured. */
  securityHub?: SecurityHubPublisher;
  /** AWS Config in member accounts (compliance rules); present when a member role is configured. */
  configAccess?: ConfigAccess;
  /** WAF inventory and writes (member role / WAF write role); absent: the WAF check is not run. */
  waf?: WafAccess;
  /** Present when `archive` is configured. */
  archive?: ArchiveWriter;
  links?: LinkPublisher;
  /** Extra copy of every message (the demo writes .eml files). */
  emailCopy?: (filename: string, raw: Buffer) => Promise<void>;
  identity: () => Promise<CallerIdentity>;
  /** Where this hub runs (host and pid, or the Lambda request), named in the leases it holds. */
  host?: string;
  logger: Logger;
  clock: Clock;
  progress: ProgressListener;
  /** Where account reports are produced; absent: in this thread. */
  accountReporter?: AccountReporter;
}

/**
 * What rendering and mailing an account's report touches: the run store, the renderer and the delivery. A report
 * worker builds only this (runtime's createReportContext), not the collection and assignment clients.
 */
export type ReportContext = Pick<
  HubContext,
  "config" | "runs" | "renderer" | "mailer" | "links" | "emailCopy" | "logger" | "clock"
>;
