/** Which run and week a report belongs to (the hub builds it once per report run). */
export interface ReportMeta {
  runId: string;
  /** ISO week label, e.g. "2026-W48" (see isoWeekLabel). */
  week: string;
  /** ISO 8601. */
  generatedAt: string;
  /** When the run started: the instant ages and days exposed are measured at (absent: generatedAt). */
  startedAt?: string;
}
