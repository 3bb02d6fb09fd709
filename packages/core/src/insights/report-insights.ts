import type { TopRow } from "./account-insights.js";
import type { ShieldKpis } from "./kpis.js";
import type { ShieldStats } from "./time-to-shield.js";
import type { TrendPoint } from "./trend.js";

/** What a report shows beside the rows, for one account or the organization (the hub builds it from the store). */
export interface ReportInsights {
  /** The instant ages and days exposed are measured at: the run's start. */
  asOf: string;
  kpis: ShieldKpis;
  shield: ShieldStats;
  /** Oldest first, the report's own run last. */
  trend: TrendPoint[];
}

export interface OrganizationInsights extends ReportInsights {
  /** The organization's first unshielded rows by priority. */
  top: TopRow[];
  /** Each account's own trend, by account id. */
  accountTrends: Record<string, TrendPoint[]>;
}
