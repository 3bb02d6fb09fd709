import { daysExposed, prioritize, type CoverageRow } from "@wshub/core";

/** A coverage row as the reports write it: with its priority (1 = shield first) and its days exposed. */
export interface RankedRow extends CoverageRow {
  priority?: number;
  daysExposed?: number;
}

/** The rows in priority order (PRIORITY_LADDER), numbered, with days exposed measured at `asOf`. */
export function rankRows(rows: readonly CoverageRow[], asOf: string): RankedRow[] {
  return prioritize(rows).map(({ priority, row }) => {
    const ranked: RankedRow = { ...row, priority };
    const days = daysExposed(row, asOf);
    if (days !== undefined) ranked.daysExposed = days;
    return ranked;
  });
}
