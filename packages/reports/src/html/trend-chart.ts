import { statusPercent, type CoverageStatus, type TrendPoint } from "@wshub/core";
import { escapeHtml } from "../email/html.js";

/** One color per status, from "shielded" (green) to "nothing IPS can do" (grey). */
export const STATUS_COLORS: Record<CoverageStatus, string> = {
  protected: "#2e7d32",
  "detect-only": "#9ccc65",
  inactive: "#fbc02d",
  "rule-available": "#fb8c00",
  "no-agent": "#e53935",
  "no-tenant": "#8e24aa",
  "no-rule": "#757575",
};

/** Bottom to top: protected first, so the green band's height is the coverage. */
const STACK_ORDER: readonly CoverageStatus[] = [
  "protected",
  "detect-only",
  "inactive",
  "rule-available",
  "no-agent",
  "no-tenant",
  "no-rule",
];

const WIDTH = 760;
const HEIGHT = 260;
const MARGIN = { left: 44, right: 12, top: 12, bottom: 40 };

/**
 * The trend as an inline SVG (no script, no fetch): one stacked column per run, each status's share of the rows,
 * protected at the bottom; every segment has a tooltip with the percentage and the row count.
 */
export function trendChartSvg(trend: readonly TrendPoint[], label: string): string {
  if (trend.length === 0) return `<p class="muted">No run with coverage yet.</p>`;
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const slot = plotW / trend.length;
  const barW = Math.min(56, slot * 0.7);
  const y = (percent: number) => MARGIN.top + plotH - (percent / 100) * plotH;
  const parts: string[] = [];
  for (const tick of [0, 25, 50, 75, 100])
    parts.push(
      `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(tick)}" y2="${y(tick)}" stroke="#ddd"/>`,
      `<text x="${MARGIN.left - 6}" y="${y(tick) + 4}" text-anchor="end" font-size="11">${tick}%</text>`,
    );
  trend.forEach((point, index) => {
    const x = MARGIN.left + slot * index + (slot - barW) / 2;
    let base = 0;
    for (const status of STACK_ORDER) {
      const share = statusPercent(point, status) ?? 0;
      if (share <= 0) continue;
      const tip = `${point.at.slice(0, 10)} ${status}: ${share.toFixed(1)} % (${point.byStatus[status]} rows)`;
      parts.push(
        `<rect class="seg" data-status="${status}" x="${x.toFixed(1)}" y="${y(base + share).toFixed(1)}" width="${barW.toFixed(1)}" height="${((share / 100) * plotH).toFixed(1)}" fill="${STATUS_COLORS[status]}"><title>${escapeHtml(tip)}</title></rect>`,
      );
      base += share;
    }
    parts.push(
      `<text x="${(x + barW / 2).toFixed(1)}" y="${HEIGHT - MARGIN.bottom + 16}" text-anchor="middle" font-size="11">${escapeHtml(point.at.slice(5, 10))}</text>`,
      `<text x="${(x + barW / 2).toFixed(1)}" y="${HEIGHT - MARGIN.bottom + 30}" text-anchor="middle" font-size="10" fill="#555">${point.coveragePercent === null ? "n/a" : `${point.coveragePercent.toFixed(1)}%`}</text>`,
    );
  });
  const legend = STACK_ORDER.map(
    (status) => `<span class="key"><i style="background:${STATUS_COLORS[status]}"></i>${escapeHtml(status)}</span>`,
  ).join("");
  return (
    `<figure class="chart"><svg id="trend-chart" role="img" aria-label="${escapeHtml(label)}" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" xmlns="http://www.w3.org/2000/svg">` +
    `${parts.join("")}</svg><figcaption>${legend}</figcaption></figure>`
  );
}
