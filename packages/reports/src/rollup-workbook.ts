import {
  addWafCounts,
  COVERAGE_STATUSES,
  emptyCoverageCounts,
  emptyWafCounts,
  type WafCounts,
  mergeCounts,
  type AccountRunRecord,
  type CoverageCounts,
  type OrganizationInsights,
  type RunError,
  type RunRecord,
  type TopRow,
} from "@wshub/core";
import { writeInsightsRows } from "./insights-sheet.js";
import type { ReportTarget, WriteResult } from "./csv-writer.js";
import type { ReportMeta } from "./meta.js";
import { spaced, toCell, type Column } from "./table.js";
import { commitWorkbook, openWorkbook, writeTableSheet, writeTextRow, type WorkbookWriter } from "./xlsx-writer.js";

export const ROLLUP_SHEETS = {
  accounts: "Accounts",
  insights: "Insights",
  shieldFirst: "Shield first",
  errors: "Run errors",
  run: "Run",
} as const;

export interface RollupInput {
  run: RunRecord;
  /** Every account of the run, assessed or not (unreachable, suspended, excluded and failed ones too). */
  accounts: readonly AccountRunRecord[];
  meta: ReportMeta;
  /** KPIs, time to shield, trend and the first unshielded rows: the `Insights` and `Shield first` sheets. */
  insights?: OrganizationInsights;
}

/** What the totals line adds up. */
export interface RollupTotals {
  accounts: number;
  assessed: number;
  counts: CoverageCounts;
  findingsRead: number;
  instancesWithoutAgent: number;
  /** Over the accounts the WAF check read. */
  waf: WafCounts;
}

interface RollupColumn extends Column<AccountRunRecord> {
  total?: (totals: RollupTotals) => string | number | null | undefined;
}

/** The WAF check's counts: ALBs and distributions checked, flagged (no WebACL), groups missing and added. */
const WAF_ROLLUP_COLUMNS: readonly [string, keyof WafCounts][] = [
  ["waf_albs", "albs"],
  ["waf_distributions", "distributions"],
  ["waf_flagged_no_webacl", "flagged"],
  ["waf_groups_missing", "groupsMissing"],
  ["waf_groups_added", "groupsAdded"],
];

/** `Accounts` sheet columns; counts stay empty (not 0) for an account that was not assessed. */
export const ROLLUP_COLUMNS: readonly RollupColumn[] = [
  { header: "account_id", width: 14, value: (a) => a.accountId, total: () => "Total" },
  { header: "account_name", width: 24, value: (a) => a.accountName, total: (t) => `${t.accounts} accounts` },
  { header: "ou_path", width: 30, value: (a) => a.ouPath },
  { header: "tenant", width: 16, value: (a) => a.tenant },
  { header: "tenant_source", width: 18, value: (a) => a.tenantSource },
  { header: "tenant_reason", width: 32, value: (a) => a.tenantReason },
  { header: "assessment_status", width: 17, value: (a) => a.status, total: (t) => `${t.assessed} assessed` },
  { header: "error_code", width: 22, value: (a) => a.error?.code },
  { header: "error_message", width: 40, value: (a) => a.error?.message },
  { header: "findings_read", width: 13, value: (a) => a.findingsRead, total: (t) => t.findingsRead },
  { header: "rows", width: 10, value: (a) => a.counts?.rows, total: (t) => t.counts.rows },
  ...COVERAGE_STATUSES.map((status): RollupColumn => ({
    header: status,
    width: 14,
    value: (a) => a.counts?.byStatus[status],
    total: (t) => t.counts.byStatus[status],
  })),
  {
    header: "coverage_percent",
    width: 16,
    value: (a) => a.counts?.coveragePercent,
    total: (t) => t.counts.coveragePercent,
  },
  {
    header: "shieldable_percent",
    width: 18,
    value: (a) => a.counts?.shieldablePercent,
    total: (t) => t.counts.shieldablePercent,
  },
  {
    header: "instances_without_agent",
    width: 22,
    value: (a) => a.instancesWithoutAgent,
    total: (t) => t.instancesWithoutAgent,
  },
  ...WAF_ROLLUP_COLUMNS.map(([header, key]): RollupColumn => ({
    header,
    width: 14,
    value: (a) => a.waf?.[key],
    total: (t) => t.waf[key],
  })),
  { header: "email_status", width: 12, value: (a) => a.email?.status },
  { header: "email_recipients", width: 30, value: (a) => (a.email ? spaced(a.email.recipients) : undefined) },
  { header: "email_detail", width: 36, value: (a) => a.email?.reason ?? a.email?.messageId },
];

type RunProblem = RunError & { severity: "error" | "warning" };

const ERROR_COLUMNS: readonly Column<RunProblem>[] = [
  { header: "severity", width: 9, value: (e) => e.severity },
  { header: "scope", width: 13, value: (e) => e.scope },
  { header: "subject", width: 24, value: (e) => e.subject },
  { header: "code", width: 26, value: (e) => e.code },
  { header: "message", width: 80, value: (e) => e.message },
];

const SHIELD_FIRST_COLUMNS: readonly Column<TopRow & { priority: number }>[] = [
  { header: "priority", width: 9, value: (r) => r.priority },
  { header: "account_id", width: 14, value: (r) => r.accountId },
  { header: "account_name", width: 24, value: (r) => r.accountName },
  { header: "region", width: 14, value: (r) => r.region },
  { header: "instance_id", width: 21, value: (r) => r.instanceId },
  { header: "vulnerability_id", width: 18, value: (r) => r.vulnerabilityId },
  { header: "severity", width: 11, value: (r) => r.severity },
  { header: "coverage", width: 15, value: (r) => r.coverage },
  { header: "exploit_available", width: 17, value: (r) => r.exploitAvailable },
  { header: "epss_score", width: 11, value: (r) => r.epssScore },
  { header: "inspector_score", width: 15, value: (r) => r.inspectorScore },
  { header: "first_observed_at", width: 22, value: (r) => r.firstObservedAt },
  { header: "ips_rules", width: 16, value: (r) => spaced(r.ruleIdentifiers) },
  { header: "fix", width: 36, value: (r) => r.fix },
];

/**
 * The organization roll-up: `Accounts` (one line per account plus a totals line), [`Insights`, `Shield first`,]
 * `Run errors`, `Run`.
 */
export async function writeRollupWorkbook(target: ReportTarget, input: RollupInput): Promise<WriteResult> {
  const accounts = [...input.accounts].sort((a, b) =>
    a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0,
  );
  const totals = rollupTotals(accounts);
  const workbook = openWorkbook(target);
  const footer = [ROLLUP_COLUMNS.map((column) => toCell(column.total?.(totals)))];
  const rows = await writeTableSheet(workbook, ROLLUP_SHEETS.accounts, ROLLUP_COLUMNS, accounts, { footer });
  if (input.insights) {
    const sheet = workbook.addWorksheet(ROLLUP_SHEETS.insights);
    sheet.columns = [{ width: 36 }, { width: 30 }, { width: 10 }, { width: 14 }, { width: 14 }];
    writeInsightsRows(sheet, input.insights);
    sheet.commit();
    const top = input.insights.top.map((row, i) => ({ ...row, priority: i + 1 }));
    await writeTableSheet(workbook, ROLLUP_SHEETS.shieldFirst, SHIELD_FIRST_COLUMNS, top);
  }
  await writeTableSheet(workbook, ROLLUP_SHEETS.errors, ERROR_COLUMNS, runErrors(input.run, accounts));
  writeRunSheet(workbook, input, totals);
  await commitWorkbook(workbook, target);
  return { rows };
}

export function rollupTotals(accounts: readonly AccountRunRecord[]): RollupTotals {
  const totals: RollupTotals = {
    accounts: accounts.length,
    assessed: 0,
    counts: emptyCoverageCounts(),
    findingsRead: 0,
    instancesWithoutAgent: 0,
    waf: emptyWafCounts(),
  };
  for (const account of accounts) {
    if (account.counts) {
      totals.assessed++;
      mergeCounts(totals.counts, account.counts);
    }
    totals.findingsRead += account.findingsRead;
    totals.instancesWithoutAgent += account.instancesWithoutAgent ?? 0;
    if (account.waf) totals.waf = addWafCounts(totals.waf, account.waf);
  }
  return totals;
}

/** The run's errors, plus any account error the run record does not already list, then the run's warnings. */
export function runErrors(run: RunRecord, accounts: readonly AccountRunRecord[]): RunProblem[] {
  const errors = [...run.errors];
  const known = new Set(errors.map((e) => `${e.subject}|${e.code}|${e.message}`));
  for (const account of accounts) {
    if (!account.error) continue;
    const error: RunError = { scope: "account", subject: account.accountId, ...account.error };
    if (!known.has(`${error.subject}|${error.code}|${error.message}`)) errors.push(error);
  }
  return [
    ...errors.map((e) => ({ ...e, severity: "error" as const })),
    ...(run.warnings ?? []).map((w) => ({ ...w, severity: "warning" as const })),
  ];
}

function writeRunSheet(workbook: WorkbookWriter, { run, meta, accounts }: RollupInput, totals: RollupTotals): void {
  const sheet = workbook.addWorksheet(ROLLUP_SHEETS.run);
  sheet.columns = [{ width: 28 }, { width: 60 }];
  const lines: [string, string | number | null | undefined][] = [
    ["Run id", run.runId],
    ["Week", meta.week],
    ["Generated at", meta.generatedAt],
    ["Status", run.status],
    ["Trigger", run.trigger],
    ["Actor", run.actor],
    ["Collection mode", run.collectionMode],
    ["Regions", spaced(run.regions)],
    ["Started at", run.startedAt],
    ["Finished at", run.finishedAt],
    ["Accounts in the organization", run.accountsTotal],
    ["Accounts assessed", run.accountsAssessed],
    ["Accounts failed", run.accountsFailed],
    ["Accounts skipped", run.accountsSkipped],
    ["Findings read", run.findingsRead],
    ["Findings written", run.findingsWritten],
    ["Coverage rows", totals.counts.rows],
    ["Coverage (%)", totals.counts.coveragePercent ?? "n/a"],
    ["Shieldable coverage (%)", totals.counts.shieldablePercent ?? "n/a"],
  ];
  if (accounts.some((a) => a.waf))
    lines.push(
      ["WAF: ALBs / distributions checked", `${totals.waf.albs} / ${totals.waf.distributions}`],
      ["WAF: flagged (no WebACL in front of protected instances)", totals.waf.flagged],
      ["WAF: groups missing / added", `${totals.waf.groupsMissing} / ${totals.waf.groupsAdded}`],
    );
  for (const line of lines) writeTextRow(sheet, line);
  sheet.commit();
}
