import { GetFindingsCommand, SecurityHubClient, type AwsSecurityFinding } from "@aws-sdk/client-securityhub";
import { GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { shieldStats, type HubConfigInput, type RunRecord } from "@wshub/core";
import { assignFromStore, runHub, runInsights } from "@wshub/hub";
import { simpleParser } from "mailparser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorld, type HubUnderTest, type World } from "../src/harness.js";

/**
 * Three weekly runs of example-small with an injected clock; between them the sandbox advances (POST /advance) and
 * an audited assignment lands. The trend, the time to shield, the Security Hub findings and the archive are
 * asserted exactly.
 */
const T1 = "2026-11-18T12:00:00.000Z";
const ASSIGNED = "2026-11-19T12:00:00.000Z";
const STEP1 = "2026-11-21T09:00:00.000Z";
const T2 = "2026-11-25T12:00:00.000Z";
const STEP2 = "2026-11-28T09:00:00.000Z";
const T3 = "2026-12-02T12:00:00.000Z";
const FIRST_OBSERVED = Date.parse("2026-10-01T08:00:00Z");
const hoursSinceFirst = (iso: string) => (Date.parse(iso) - FIRST_OBSERVED) / 3_600_000;
const PAYMENTS = "333333333333";

let world: World;
const clock = { current: new Date(T1), now: () => clock.current };
const runs: RunRecord[] = [];
const hubAt = async (iso: string, changes?: (c: HubConfigInput) => void): Promise<HubUnderTest> => {
  clock.current = new Date(iso);
  return world.hub(
    (c) => {
      c.insights = { securityHub: { enabled: true } };
      c.archive = { bucket: world.sandbox.info.aws.reportBucket, prefix: "archive" };
      changes?.(c);
    },
    { clock },
  );
};
const advance = async (step: unknown) => {
  const answer = await fetch(`${world.sandbox.info.control.url}/advance`, {
    method: "POST",
    body: JSON.stringify(step),
  });
  expect(answer.status).toBe(200);
  return answer.json();
};
const hubClients = () => {
  const { aws, region } = world.sandbox.info;
  const settings = {
    region,
    endpoint: aws.endpoint,
    credentials: { accessKeyId: aws.hub.accessKeyId, secretAccessKey: aws.hub.secretAccessKey },
  };
  return { securityHub: new SecurityHubClient(settings), s3: new S3Client({ ...settings, forcePathStyle: true }) };
};
const securityHubFindings = async (): Promise<AwsSecurityFinding[]> => {
  const findings: AwsSecurityFinding[] = [];
  let token: string | undefined;
  do {
    const page = await hubClients().securityHub.send(new GetFindingsCommand({ MaxResults: 100, NextToken: token }));
    findings.push(...(page.Findings ?? []));
    token = page.NextToken || undefined;
  } while (token);
  return findings;
};
const snapshots: AwsSecurityFinding[][] = [];

beforeAll(async () => {
  world = await startWorld();
  const ninenine = world.scenario.findings.find((f) => f.vulnerabilityId === "CVE-2024-9999")!;
  // Week 1.
  runs.push((await runHub(await hubAt(T1))).run);
  snapshots.push(await securityHubFindings());
  // A day later the security team applies the missing rules of the payments account (audited).
  const assigning = await hubAt(ASSIGNED, (c) => {
    c.assignment = { target: "computer", allow: { accounts: [PAYMENTS] } };
  });
  const assigned = await assignFromStore(assigning, { runId: runs[0]!.runId, actor: "test" }, { defaultMode: "apply" });
  expect(
    assigned.events
      .filter((e) => e.action === "applied")
      .map((e) => e.instanceId)
      .sort(),
  ).toEqual(["i-0a10000000000001", "i-0a20000000000002"]);
  // Then Inspector closes CVE-2024-9999 (patched) and finds CVE-2024-1004 on db-eu-1.
  await advance({
    at: STEP1,
    setFindingStatus: [{ findingArn: ninenine.findingArn, status: "CLOSED" }],
    addFindings: [
      {
        accountId: PAYMENTS,
        region: "us-east-1",
        resourceId: "i-0a20000000000002",
        vulnerabilityId: "CVE-2024-1004",
        packageName: "curl",
        severity: "LOW",
        status: "ACTIVE",
        exploitAvailable: "NO",
        epssScore: 0.00291,
        firstObservedAt: "2026-11-20T10:00:00Z",
      },
    ],
  });
  runs.push((await runHub(await hubAt(T2))).run);
  snapshots.push(await securityHubFindings());
  // Week 3: an agent is deployed on batch-eu-1, under the base policy (prevent, rule 101).
  await advance({
    at: STEP2,
    addComputers: [
      {
        tenant: "emea",
        id: 12,
        hostName: "batch-eu-1",
        policyId: 1,
        ec2: { instanceId: "i-0a30000000000003", accountId: PAYMENTS, region: "us-east-1" },
      },
    ],
  });
  runs.push((await runHub(await hubAt(T3))).run);
  snapshots.push(await securityHubFindings());
});
afterAll(async () => world?.stop());

describe("three weekly runs", () => {
  it("trend: coverage per status, week over week, for the account and the organization", async () => {
    const { organization } = await runInsights(await hubAt(T3), runs[2]!.runId);
    const payments = organization.accountTrends[PAYMENTS]!;
    expect(payments.map((p) => [p.runId, p.rows, p.coveragePercent])).toEqual([
      [runs[0]!.runId, 6, 16.7],
      [runs[1]!.runId, 6, 50],
      [runs[2]!.runId, 6, 66.7],
    ]);
    expect(payments.map((p) => p.byStatus)).toEqual([
      { "no-tenant": 0, "no-agent": 1, "no-rule": 1, "rule-available": 2, inactive: 0, "detect-only": 1, protected: 1 },
      { "no-tenant": 0, "no-agent": 1, "no-rule": 0, "rule-available": 1, inactive: 0, "detect-only": 1, protected: 3 },
      { "no-tenant": 0, "no-agent": 0, "no-rule": 0, "rule-available": 1, inactive: 0, "detect-only": 1, protected: 4 },
    ]);
    expect(organization.trend.map((p) => [p.at, p.rows, p.coveragePercent])).toEqual([
      [T1, 10, 20],
      [T2, 10, 40],
      [T3, 10, 50],
    ]);
  });

  it("time to shield: by the audited assignment, by the run that found the new agent, and the open rows' ages", async () => {
    const { accounts, organization } = await runInsights(await hubAt(T3), runs[2]!.runId);
    const payments = accounts.find((a) => a.accountId === PAYMENTS)!;
    const byAssignment = hoursSinceFirst(ASSIGNED); // 1180 h
    const byRun = hoursSinceFirst(T3); // 1492 h
    expect(shieldStats(payments.insights!.shield, T3)).toEqual({
      shielded: 3,
      medianHours: byAssignment,
      p90Hours: byRun,
      open: 2,
      medianOpenHours: (Date.parse(T3) - Date.parse("2026-11-20T10:00:00Z")) / 3_600_000, // 290 h
      p90OpenHours: byRun,
      oldestOpenHours: byRun,
      protectedOnArrival: 1,
    });
    // The organization: web-prod's two open rows and sandbox-dev's one are as old as the first observation.
    expect(organization.shield).toMatchObject({
      shielded: 3,
      medianHours: byAssignment,
      p90Hours: byRun,
      open: 5,
      medianOpenHours: byRun,
      protectedOnArrival: 2,
    });
    // The CSV says when and how each row was shielded.
    const folder = join(world.outputDir, runs[2]!.runId);
    const csvName = (await readdir(folder)).find((f) => f.includes(PAYMENTS) && f.endsWith(".csv"))!;
    const csv = parse(await readFile(join(folder, csvName), "utf8"), { columns: true }) as Record<string, string>[];
    const shielded = csv
      .filter((r) => r["shielded_at"])
      .map((r) => [r["instance_id"], r["vulnerability_id"], r["shielded_at"], r["shielded_by"]])
      .sort();
    expect(shielded).toEqual([
      ["i-0a10000000000001", "CVE-2024-1002", ASSIGNED, "assignment"],
      ["i-0a20000000000002", "CVE-2024-1003", ASSIGNED, "assignment"],
      ["i-0a30000000000003", "CVE-2024-1001", T3, "run"],
    ]);
    expect(csv.map((r) => Number(r["priority"]))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(csv[0]).toMatchObject({ coverage: "rule-available", vulnerability_id: "CVE-2024-1004", days_exposed: "12" });
  });

  it("Security Hub: one finding per unit, created, updated in place, resolved, never duplicated", () => {
    const summary = (findings: AwsSecurityFinding[]) => {
      const ids = findings.map((f) => f.Id!);
      expect(new Set(ids).size).toBe(ids.length);
      return Object.fromEntries(
        findings
          .filter((f) => f.Id!.includes(`/${PAYMENTS}/`))
          .map((f) => [f.Id!.split("/").slice(-2).join(" "), f.RecordState]),
      );
    };
    expect(snapshots.map((s) => s.length)).toEqual([8, 9, 9]);
    expect(summary(snapshots[0]!)).toEqual({
      "i-0a10000000000001 CVE-2024-1002": "ACTIVE",
      "i-0a10000000000001 CVE-2024-1004": "ACTIVE",
      "i-0a10000000000001 CVE-2024-9999": "ACTIVE",
      "i-0a20000000000002 CVE-2024-1003": "ACTIVE",
      "i-0a30000000000003 CVE-2024-1001": "ACTIVE",
    });
    expect(summary(snapshots[1]!)).toEqual({
      "i-0a10000000000001 CVE-2024-1002": "ARCHIVED",
      "i-0a10000000000001 CVE-2024-1004": "ACTIVE",
      "i-0a10000000000001 CVE-2024-9999": "ARCHIVED",
      "i-0a20000000000002 CVE-2024-1003": "ARCHIVED",
      "i-0a20000000000002 CVE-2024-1004": "ACTIVE",
      "i-0a30000000000003 CVE-2024-1001": "ACTIVE",
    });
    expect(summary(snapshots[2]!)["i-0a30000000000003 CVE-2024-1001"]).toBe("ARCHIVED");
    // Unchanged active findings are not re-imported: the detect-only row kept week 1's update time.
    const detectOnly = (s: AwsSecurityFinding[]) => s.find((f) => f.Id!.endsWith("i-0a10000000000001/CVE-2024-1004"))!;
    expect(snapshots.map((s) => detectOnly(s).UpdatedAt)).toEqual([T1, T1, T1]);
    const resolved = snapshots[2]!.find((f) => f.Id!.endsWith("i-0a30000000000003/CVE-2024-1001"))!;
    expect(resolved).toMatchObject({ UpdatedAt: T3, AwsAccountId: world.sandbox.info.aws.hub.accountId });
    expect(resolved.Resources?.[0]?.Id).toBe(`arn:aws:ec2:us-east-1:${PAYMENTS}:instance/i-0a30000000000003`);
  });

  it("archive: every run's CSV and OCSF JSON lines, partitioned by date", async () => {
    const { s3 } = hubClients();
    const bucket = world.sandbox.info.aws.reportBucket;
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: "archive/" }));
    const keys = (listed.Contents ?? []).map((o) => o.Key!);
    expect(keys).toHaveLength(3 * 5 * 2);
    expect(new Set(keys.map((k) => k.split("/").slice(1, 3).join("/")))).toEqual(
      new Set(
        ["2026-11-18", "2026-11-25", "2026-12-02"].flatMap((d) => [`coverage-csv/dt=${d}`, `coverage-ocsf/dt=${d}`]),
      ),
    );
    const key = `archive/coverage-ocsf/dt=2026-12-02/${runs[2]!.runId}-${PAYMENTS}.jsonl`;
    const body = await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString();
    const lines = body
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(6);
    expect(lines[0]).toMatchObject({ class_uid: 2002, status: "New", cloud: { account: { uid: PAYMENTS } } });
    expect(lines.filter((l) => l["status"] === "Resolved")).toHaveLength(4);
  });

  it("the e-mails carry both parts, the KPI and top-five tables, and the HTML report", async () => {
    const raw = await readFile(join(world.outputDir, "emails", "organization.eml"));
    const mail = await simpleParser(raw);
    expect(mail.text).toContain("Shield first (top 5 by priority)");
    expect(mail.text).toContain("Projected coverage");
    expect(mail.html).toContain("<h3>Shielding KPIs</h3>");
    expect((mail.attachments ?? []).map((a) => a.filename).sort()).toEqual([
      "ips-coverage-organization-2026-W49.html",
      "ips-coverage-organization-2026-W49.xlsx",
      "ips-coverage-trend-2026-W49.csv",
    ]);
    const trend = parse(mail.attachments!.find((a) => a.filename!.endsWith(".csv"))!.content.toString(), {
      columns: true,
    }) as Record<string, string>[];
    expect(trend.filter((r) => r["scope"] === "organization").map((r) => r["coverage_percent"])).toEqual([
      "20",
      "40",
      "50",
    ]);
  });
});
