import {
  isShieldingEvent,
  newlyShielded,
  previousEvaluation,
  shieldStates,
  type AccountCoverage,
  type CoverageRow,
} from "@wshub/core";
import type { HubContext } from "./context.js";

/**
 * Give this evaluation's rows their shield state (docs/insights.md, time to shield) from the account's previous
 * evaluation and, only when some row became protected since, the account's audit trail between the two evaluations.
 * Everything comes from the store: no call to Workload Security or Inspector.
 */
export async function carryShieldState(
  ctx: Pick<HubContext, "audit">,
  rows: CoverageRow[],
  previous: AccountCoverage | undefined,
  evaluatedAt: string,
): Promise<void> {
  const before = previous ? previousEvaluation(previous.evaluatedAt, previous.rows) : undefined;
  const needsTrail = before !== undefined && newlyShielded(rows, before).length > 0;
  const events =
    needsTrail && rows[0]
      ? (await ctx.audit.query({ accountId: rows[0].accountId, since: before.evaluatedAt, until: evaluatedAt })).filter(
          isShieldingEvent,
        )
      : [];
  const states = shieldStates(rows, before, evaluatedAt, events);
  rows.forEach((row, index) => {
    const state = states[index];
    if (state) Object.assign(row, state);
  });
}
