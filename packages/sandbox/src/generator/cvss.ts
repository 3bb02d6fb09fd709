import type { ScenarioIpsRule } from "../scenario/types.js";
import type { Random } from "./random.js";

export type Severity = NonNullable<ScenarioIpsRule["severity"]>;

const SEVERITIES: readonly Severity[] = ["low", "medium", "high", "critical"];

/**
 * CVSS v3 base scores by band, the common values first (NVD's most frequent scores: 9.8, 7.5, 8.8, 6.1, 5.3 ...), and
 * the share of CVEs with an IPS rule in each band: vendors write IPS rules for remotely reachable, serious flaws, so
 * the mix leans higher than NVD's as a whole. Documented in docs/sandbox.md, asserted in the generator's tests.
 */
export const CVSS_BANDS: Readonly<Record<Severity, { share: number; scores: readonly number[] }>> = {
  low: { share: 0.05, scores: [3.3, 3.7, 2.7, 3.1, 2.4] },
  medium: { share: 0.3, scores: [6.5, 5.3, 6.1, 5.5, 4.3, 5.9, 6.8, 4.7, 5.4] },
  high: { share: 0.45, scores: [7.5, 8.8, 7.8, 8.1, 7.2, 8.6, 7.1, 7.3, 8.2] },
  critical: { share: 0.2, scores: [9.8, 9.1, 10.0, 9.0, 9.6] },
};

/** A CVSS v3 base score for one CVE (one decimal, as NVD publishes it). */
export function drawCvssScore(random: Random): number {
  const roll = random.float();
  let upTo = 0;
  const severity = SEVERITIES.find((s) => roll < (upTo += CVSS_BANDS[s].share)) ?? "critical";
  return random.pick(CVSS_BANDS[severity].scores);
}

/** The vendor severity of a score: the CVSS v3 qualitative scale (low < 4, medium < 7, high < 9, critical). */
export function severityOfCvss(score: number): Severity {
  if (score >= 9) return "critical";
  if (score >= 7) return "high";
  if (score >= 4) return "medium";
  return "low";
}
