/** File names are built from ids and the week only: names and tags never reach a path. */
export function safeFilePart(value: string): string {
  return value.replace(/[^A-Za-z0-9._-]+/g, "_").replace(/^\.+/, "_") || "_";
}

export function accountReportFileNames(
  accountId: string,
  week: string,
): { xlsx: string; csv: string; html: string; wafCsv: string; complianceCsv: string } {
  const base = `ips-coverage-${safeFilePart(accountId)}-${safeFilePart(week)}`;
  const suffix = `${safeFilePart(accountId)}-${safeFilePart(week)}`;
  return {
    xlsx: `${base}.xlsx`,
    csv: `${base}.csv`,
    html: `${base}.html`,
    wafCsv: `waf-${suffix}.csv`,
    complianceCsv: `compliance-${suffix}.csv`,
  };
}

export function assignmentReportFileNames(scope: string, week: string): { xlsx: string; csv: string } {
  const base = `ips-assignments-${safeFilePart(scope)}-${safeFilePart(week)}`;
  return { xlsx: `${base}.xlsx`, csv: `${base}.csv` };
}

export function rollupFileNames(week: string): { xlsx: string; html: string; trendCsv: string } {
  const base = `ips-coverage-organization-${safeFilePart(week)}`;
  return { xlsx: `${base}.xlsx`, html: `${base}.html`, trendCsv: `ips-coverage-trend-${safeFilePart(week)}.csv` };
}
