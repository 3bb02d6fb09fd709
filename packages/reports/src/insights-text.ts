import {
  coverageChange,
  kpiCoveragePercent,
  projectedCoveragePercent,
  type ReportInsights,
  type ShieldStats,
} from "@wshub/core";
import { formatPercent } from "./status-text.js";

/** Hours as days with one decimal (time to shield, ages), or undefined. */
export function hoursToDays(hours: number | undefined): number | undefined {
  return hours === undefined ? undefined : Math.round((hours / 24) * 10) / 10;
}

export function formatDays(hours: number | undefined): string {
  const days = hoursToDays(hours);
  return days === undefined ? "n/a" : `${days.toFixed(1)} d`;
}

/** One KPI: a label, a number (for spreadsheets), its text, and what it means. */
export interface KpiLine {
  key: string;
  label: string;
  value: number | null;
  text: string;
  help: string;
}

/** The KPIs every report shows, in this order (the HTML report, the e-mails, the XLSX Summary, `wshub kpis`). */
export function kpiLines(insights: ReportInsights): KpiLine[] {
  const { kpis, shield } = insights;
  const coverage = kpiCoveragePercent(kpis);
  const projected = projectedCoveragePercent(kpis);
  const change = coverageChange(insights.trend);
  return [
    line("coverage", "Coverage", coverage, formatPercent(coverage), "protected rows ÷ all rows"),
    line(
      "projected",
      "Projected coverage",
      projected,
      formatPercent(projected),
      `if every rule-available row were assigned (${kpis.wouldProtect} of ${kpis.shieldableNow} would then be protected)`,
    ),
    line(
      "exploitable",
      "Unshielded and exploitable",
      kpis.unshieldedExploitable,
      String(kpis.unshieldedExploitable),
      "rows not protected whose finding has an exploit available",
    ),
    line(
      "shieldable",
      "Shieldable now",
      kpis.shieldableNow,
      String(kpis.shieldableNow),
      "rule-available rows: an assignment away from a covering rule",
    ),
    ...shieldLines(shield),
    line(
      "trend",
      "Coverage change over the trend",
      change,
      change === null ? "n/a" : `${change > 0 ? "+" : ""}${change.toFixed(1)} points`,
      `from the first to the last of ${insights.trend.length} run(s)`,
    ),
  ];
}

function shieldLines(shield: ShieldStats): KpiLine[] {
  const days = (hours: number | undefined) => hoursToDays(hours) ?? null;
  return [
    line(
      "ttsMedian",
      "Time to shield, median",
      days(shield.medianHours),
      formatDays(shield.medianHours),
      `over ${shield.shielded} row(s) shielded after wshub saw them exposed`,
    ),
    line(
      "ttsP90",
      "Time to shield, p90",
      days(shield.p90Hours),
      formatDays(shield.p90Hours),
      "9 in 10 of those rows were shielded within this",
    ),
    line(
      "open",
      "Still open",
      shield.open,
      String(shield.open),
      `rows not protected; median age ${formatDays(shield.medianOpenHours)}, oldest ${formatDays(shield.oldestOpenHours)}`,
    ),
    line(
      "arrival",
      "Protected on arrival",
      shield.protectedOnArrival,
      String(shield.protectedOnArrival),
      "protected the first time wshub evaluated them (no time to shield known)",
    ),
  ];
}

function line(key: string, label: string, value: number | null, text: string, help: string): KpiLine {
  return { key, label, value, text, help };
}
