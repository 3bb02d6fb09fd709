import {
  ERROR_CODES,
  kpiCoveragePercent,
  projectedCoveragePercent,
  shieldStats,
  WshubError,
  type AccountInsights,
  type ShieldKpis,
  type ShieldStats,
} from "@wshub/core";
import { runInsights } from "@wshub/hub";
import { hoursToDays } from "@wshub/reports";
import { EXIT } from "../exit-codes.js";
import { textTable } from "../format.js";
import { openHub, type GlobalOptions } from "../hub.js";

export interface KpisCommandOptions extends GlobalOptions {
  run?: string;
  account?: string;
}

/** One scope's KPIs as `wshub kpis --json` prints them (days with one decimal). */
export interface KpiReport {
  scope: string;
  name: string;
  kpis: ShieldKpis;
  coveragePercent: number | null;
  projectedPercent: number | null;
  timeToShield: ShieldStats & { medianDays?: number; p90Days?: number; oldestOpenDays?: number };
}

/** `wshub kpis`: the organization's and every account's shielding KPIs and time to shield, for a run (default: latest). */
export async function kpisCommand(options: KpisCommandOptions): Promise<number> {
  const ctx = await openHub(options);
  const { run, accounts, organization } = await runInsights(ctx, options.run);
  const asOf = run.startedAt;
  const reports = [
    kpiReport("organization", "", { kpis: organization.kpis, shield: organization.shield }),
    ...accounts
      .filter((a) => a.insights && (!options.account || a.accountId === options.account))
      .sort((a, b) => (a.accountId < b.accountId ? -1 : 1))
      .map((a) => {
        const insights = a.insights as AccountInsights;
        return kpiReport(a.accountId, a.accountName, {
          kpis: insights.kpis,
          shield: shieldStats(insights.shield, asOf),
        });
      }),
  ];
  if (options.account && reports.length === 1)
    throw new WshubError(ERROR_CODES.NO_COVERAGE, `run ${run.runId} has no coverage for account ${options.account}`, {
      runId: run.runId,
      accountId: options.account,
    });
  const shown = options.account ? reports.slice(1) : reports;
  if (options.output === "json")
    process.stdout.write(`${JSON.stringify({ runId: run.runId, startedAt: asOf, scopes: shown }, null, 2)}\n`);
  else process.stdout.write(`run ${run.runId} (${asOf})\n\n${kpiTable(shown)}\n`);
  return EXIT.OK;
}

function kpiReport(scope: string, name: string, input: { kpis: ShieldKpis; shield: ShieldStats }): KpiReport {
  const { kpis, shield } = input;
  return {
    scope,
    name,
    kpis,
    coveragePercent: kpiCoveragePercent(kpis),
    projectedPercent: projectedCoveragePercent(kpis),
    timeToShield: {
      ...shield,
      medianDays: hoursToDays(shield.medianHours),
      p90Days: hoursToDays(shield.p90Hours),
      oldestOpenDays: hoursToDays(shield.oldestOpenHours),
    },
  };
}

function kpiTable(reports: KpiReport[]): string {
  const pct = (value: number | null) => (value === null ? "-" : `${value}%`);
  const days = (value: number | undefined) => (value === undefined ? "-" : `${value} d`);
  return textTable(
    [
      "scope",
      "name",
      "rows",
      "covered",
      "projected",
      "exploitable",
      "shieldable",
      "shielded",
      "tts median",
      "tts p90",
      "open",
      "oldest open",
    ],
    reports.map((r) => [
      r.scope,
      r.name.slice(0, 24),
      r.kpis.rows,
      pct(r.coveragePercent),
      pct(r.projectedPercent),
      r.kpis.unshieldedExploitable,
      r.kpis.shieldableNow,
      r.timeToShield.shielded,
      days(r.timeToShield.medianDays),
      days(r.timeToShield.p90Days),
      r.timeToShield.open,
      days(r.timeToShield.oldestOpenDays),
    ]),
  );
}
