import type { AuditEvent } from "@wshub/core";
import { writeCsv, type CsvOptions, type ReportTarget, type WriteResult } from "./csv-writer.js";
import { stringify } from "csv-stringify/sync";
import { columnHeaders, csvCell, listed, spaced, tableCells, toCell, type Column } from "./table.js";
import { commitWorkbook, openWorkbook, writeTableSheet, type WorkbookWriter } from "./xlsx-writer.js";

export const ASSIGNMENTS_SHEET = "Assignments";

/**
 * One line per audit event (one per change and motivating instance; the events of one API call share
 * `change_id`). Ids and identifiers are space separated, rule names "; " separated.
 */
export const ASSIGNMENT_COLUMNS: readonly Column<AuditEvent>[] = [
  { header: "at", width: 24, value: (event) => event.at },
  { header: "action", width: 16, value: (event) => event.action },
  { header: "mode", width: 9, value: (event) => event.mode },
  { header: "change", width: 16, value: (event) => event.change ?? "ips-rules" },
  { header: "tenant", width: 16, value: (event) => event.tenant },
  { header: "account_id", width: 14, value: (event) => event.accountId },
  { header: "region", width: 14, value: (event) => event.region },
  { header: "instance_id", width: 21, value: (event) => event.instanceId },
  { header: "computer_id", width: 12, value: (event) => event.computerId },
  { header: "policy_id", width: 10, value: (event) => event.policyId },
  { header: "target_kind", width: 11, value: (event) => event.targetKind },
  { header: "target_id", width: 10, value: (event) => event.targetId },
  { header: "rule_ids", width: 14, value: (event) => spaced(event.ruleIds) },
  { header: "rule_identifiers", width: 16, value: (event) => spaced(event.ruleIdentifiers) },
  { header: "rule_names", width: 40, value: (event) => listed(event.ruleNames) },
  { header: "cves", width: 18, value: (event) => spaced(event.cves) },
  { header: "api_status", width: 10, value: (event) => event.answer?.status },
  { header: "api_assigned_rule_ids", width: 20, value: (event) => optionalList(event.answer?.assignedRuleIds) },
  { header: "api_message", width: 30, value: (event) => event.answer?.message },
  { header: "reason", width: 36, value: (event) => event.reason },
  { header: "change_id", width: 30, value: (event) => event.changeId },
  { header: "also_affects_computer_ids", width: 22, value: (event) => optionalList(event.alsoAffects?.computerIds) },
  { header: "also_affects_account_ids", width: 22, value: (event) => optionalList(event.alsoAffects?.accountIds) },
  { header: "rollback_of", width: 26, value: (event) => event.rollbackOf },
  { header: "intent_id", width: 40, value: (event) => event.intentId },
  { header: "reconciled", width: 10, value: (event) => (event.reconciled ? "yes" : undefined) },
  { header: "signal_source", width: 12, value: (event) => event.signal?.source },
  { header: "finding_id", width: 40, value: (event) => event.signal?.findingId },
  { header: "run_id", width: 26, value: (event) => event.runId },
  { header: "actor", width: 40, value: (event) => event.actor },
  { header: "event_id", width: 40, value: (event) => event.eventId },
  { header: "finding_arns", width: 60, value: (event) => spaced(event.findingArns) },
];

function optionalList(values: readonly (string | number)[] | undefined): string | undefined {
  return values === undefined ? undefined : spaced(values);
}

export function writeAssignmentCsv(
  target: ReportTarget,
  events: Iterable<AuditEvent> | AsyncIterable<AuditEvent>,
  options: CsvOptions = {},
): Promise<WriteResult> {
  return writeCsv(target, ASSIGNMENT_COLUMNS, events, options);
}

/** The same lines as one CSV text (the CLI's `wshub audit -o csv`). */
export function assignmentCsvText(events: readonly AuditEvent[]): string {
  const header = columnHeaders(ASSIGNMENT_COLUMNS).map(toCell).map(csvCell);
  const rows = events.map((event) => tableCells(ASSIGNMENT_COLUMNS, event).map(csvCell));
  return stringify([header, ...rows], { record_delimiter: "windows" });
}

/** Add the `Assignments` sheet to any streaming workbook (the account workbook or a workbook of its own). */
export function writeAssignmentSheet(
  workbook: WorkbookWriter,
  events: Iterable<AuditEvent> | AsyncIterable<AuditEvent>,
): Promise<number> {
  return writeTableSheet(workbook, ASSIGNMENTS_SHEET, ASSIGNMENT_COLUMNS, events);
}

/** A workbook with only the `Assignments` sheet. */
export async function writeAssignmentWorkbook(
  target: ReportTarget,
  events: Iterable<AuditEvent> | AsyncIterable<AuditEvent>,
): Promise<WriteResult> {
  const workbook = openWorkbook(target);
  const rows = await writeAssignmentSheet(workbook, events);
  await commitWorkbook(workbook, target);
  return { rows };
}
