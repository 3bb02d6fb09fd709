import type ExcelJS from "exceljs";
import { COVERAGE_STATUSES, type ReportInsights, type TrendPoint } from "@wshub/core";
import { kpiLines } from "./insights-text.js";
import { writeTextRow, type SheetWriter } from "./xlsx-writer.js";

/**
 * KPIs and the trend on a summary sheet, as numbers. exceljs writes no charts (it has no chart model), so the trend's
 * coverage column carries data bars instead: a bar in each cell, drawn by Excel from the numbers.
 */
export function writeInsightsRows(sheet: SheetWriter, insights: ReportInsights): void {
  writeTextRow(sheet, ["Shielding KPIs"], { bold: true });
  for (const kpi of kpiLines(insights)) writeTextRow(sheet, [kpi.label, kpi.value ?? "n/a", kpi.help]);
  writeTextRow(sheet, []);
  writeTrendRows(sheet, insights.trend);
}

export const TREND_HEADERS = ["Run started", "Run", "Rows", "Coverage (%)", "Shieldable (%)", ...COVERAGE_STATUSES];

export function writeTrendRows(sheet: SheetWriter, trend: readonly TrendPoint[]): void {
  writeTextRow(sheet, [`Coverage trend (last ${trend.length} run(s), oldest first)`], { bold: true });
  writeTextRow(sheet, TREND_HEADERS, { bold: true });
  const first = sheet.lastRow?.number ?? 0;
  for (const point of trend)
    writeTextRow(sheet, [
      point.at.slice(0, 10),
      point.runId,
      point.rows,
      point.coveragePercent,
      point.shieldablePercent,
      ...COVERAGE_STATUSES.map((status) => point.byStatus[status]),
    ]);
  if (trend.length === 0) return;
  sheet.addConditionalFormatting({ ref: `D${first + 1}:D${first + trend.length}`, rules: [COVERAGE_BARS] });
}

/** exceljs writes a data bar's `color` but its type omits the field. */
const COVERAGE_BARS: ExcelJS.DataBarRuleType & { color: Partial<ExcelJS.Color> } = {
  type: "dataBar",
  priority: 1,
  minLength: 0,
  maxLength: 100,
  cfvo: [
    { type: "num", value: 0 },
    { type: "num", value: 100 },
  ],
  color: { argb: "FF2E7D32" },
};
