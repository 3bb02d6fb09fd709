import {
  Inspector2Client,
  ListCoverageCommand,
  ListFindingAggregationsCommand,
  ListFindingsCommand,
  paginateListFindings,
  type Finding,
} from "@aws-sdk/client-inspector2";
import { DescribeInstancesCommand, EC2Client, TerminateInstancesCommand } from "@aws-sdk/client-ec2";
import { mockClient } from "aws-sdk-client-mock";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { Ec2InstanceInventory } from "@wshub/aws";
import { ERROR_CODES, type CoveredInstance } from "@wshub/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exampleSmall, startWorld, type World } from "../src/harness.js";

/** example-small plus 250 findings on one instance of 444444444444, updated on three different days. */
function scenario() {
  const s = exampleSmall();
  const template = s.findings.find((f) => f.resourceId === "i-0b10000000000001")!;
  for (let i = 0; i < 250; i++)
    s.findings.push({
      ...template,
      findingArn: `arn:aws:inspector2:us-east-1:444444444444:finding/${i.toString(16).padStart(32, "0")}`,
      vulnerabilityId: `CVE-2025-${10000 + i}`,
      title: `CVE-2025-${10000 + i} - pkg`,
      updatedAt: ["2026-11-01T00:00:00Z", "2026-11-10T00:00:00Z", "2026-11-20T00:00:00Z"][i % 3] as string,
      severity: i % 2 === 0 ? "HIGH" : "LOW",
    });
  return s;
}

let world: World;
let admin: Inspector2Client;
let member: Inspector2Client;
let memberEc2: EC2Client;

beforeAll(async () => {
  world = await startWorld(scenario());
  const info = world.sandbox.info;
  const hubCredentials = { accessKeyId: info.aws.hub.accessKeyId, secretAccessKey: info.aws.hub.secretAccessKey };
  const base = { region: info.region, endpoint: info.aws.endpoint, maxAttempts: 1 };
  admin = new Inspector2Client({ ...base, credentials: hubCredentials });
  const sts = new STSClient({ ...base, credentials: hubCredentials });
  const assumed = await sts.send(
    new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::444444444444:role/${info.aws.memberRole.name}`,
      RoleSessionName: "t",
      ExternalId: info.aws.memberRole.externalId,
    }),
  );
  const c = assumed.Credentials!;
  const memberCredentials = {
    accessKeyId: c.AccessKeyId!,
    secretAccessKey: c.SecretAccessKey!,
    sessionToken: c.SessionToken!,
  };
  member = new Inspector2Client({ ...base, credentials: memberCredentials });
  memberEc2 = new EC2Client({ ...base, credentials: memberCredentials });
});
afterAll(async () => world?.stop());

async function all(
  client: Inspector2Client,
  input: ConstructorParameters<typeof ListFindingsCommand>[0] = {},
  pageSize = 100,
): Promise<{ findings: Finding[]; pages: number }> {
  const findings: Finding[] = [];
  let pages = 0;
  for await (const page of paginateListFindings({ client, pageSize }, input)) {
    pages++;
    findings.push(...(page.findings ?? []));
  }
  return { findings, pages };
}

describe("Inspector2 emulator through the sandbox, with the AWS SDK's own client", () => {
  it("shows a member account only its own findings, even when it asks for another account's", async () => {
    const own = await all(member);
    expect(new Set(own.findings.map((f) => f.awsAccountId))).toEqual(new Set(["444444444444"]));
    expect(own.findings).toHaveLength(4 + 250);
    const other = await all(member, {
      filterCriteria: { awsAccountId: [{ comparison: "EQUALS", value: "333333333333" }] },
    });
    expect(other.findings).toEqual([]);
  });

  it("shows the delegated administrator every account, filtered by awsAccountId", async () => {
    const everything = await all(admin);
    expect(new Set(everything.findings.map((f) => f.awsAccountId))).toEqual(
      new Set(["333333333333", "444444444444", "555555555555"]),
    );
    const some = await all(admin, {
      filterCriteria: {
        awsAccountId: [
          { comparison: "EQUALS", value: "333333333333" },
          { comparison: "EQUALS", value: "555555555555" },
        ],
      },
    });
    expect(some.findings).toHaveLength(9 + 1);
  });

  it("pages with nextToken (254 findings at 100 a page: 3 pages, nothing lost or repeated)", async () => {
    const { findings, pages } = await all(member);
    expect(pages).toBe(3);
    expect(new Set(findings.map((f) => f.findingArn)).size).toBe(findings.length);
  });

  it("filters by updatedAt, status, severity, resource and vulnerability id as documented", async () => {
    const since = await all(member, {
      filterCriteria: { updatedAt: [{ startInclusive: new Date("2026-11-15T00:00:00Z") }] },
    });
    expect(since.findings.every((f) => f.updatedAt! >= new Date("2026-11-15T00:00:00Z"))).toBe(true);
    expect(since.findings.length).toBe(83 + 4); // every third of the 250, and the account's 4 from 2026-11-16
    const high = await all(member, {
      filterCriteria: {
        severity: [{ comparison: "EQUALS", value: "HIGH" }],
        resourceId: [{ comparison: "EQUALS", value: "i-0b10000000000001" }],
      },
    });
    expect(high.findings.every((f) => f.severity === "HIGH" && f.resources?.[0]?.id === "i-0b10000000000001")).toBe(
      true,
    );
    const prefix = await all(member, {
      filterCriteria: { vulnerabilityId: [{ comparison: "PREFIX", value: "CVE-2025-100" }] },
    });
    expect(prefix.findings).toHaveLength(100);
    const notActive = await all(admin, {
      filterCriteria: { findingStatus: [{ comparison: "NOT_EQUALS", value: "ACTIVE" }] },
    });
    expect(notActive.findings.map((f) => f.status).sort()).toEqual(["CLOSED", "SUPPRESSED"]);
  });

  it("returns findings the SDK parses completely: CVE from packageVulnerabilityDetails, timestamps, tags", async () => {
    const { findings } = await all(admin, {
      filterCriteria: { resourceId: [{ comparison: "EQUALS", value: "i-0a10000000000001" }] },
    });
    const openssl = findings.find((f) => f.title === "CVE-2024-1001 - openssl")!;
    expect(openssl.packageVulnerabilityDetails?.vulnerabilityId).toBe("CVE-2024-1001");
    expect(openssl.updatedAt).toEqual(new Date("2026-11-16T09:00:00Z"));
    expect(openssl.resources?.[0]?.tags?.["Name"]).toBe("web-eu-1");
  });

  it("rejects maxResults above 100 and more than 10 values in a filter with a ValidationException, as AWS does", async () => {
    await expect(admin.send(new ListFindingsCommand({ maxResults: 101 }))).rejects.toMatchObject({
      name: "ValidationException",
    });
    const eleven = Array.from({ length: 11 }, (_, i) => ({
      comparison: "EQUALS" as const,
      value: String(100000000000 + i),
    }));
    await expect(
      admin.send(new ListFindingsCommand({ filterCriteria: { awsAccountId: eleven } })),
    ).rejects.toMatchObject({ name: "ValidationException" });
    await expect(admin.send(new ListFindingsCommand({ nextToken: "forged" }))).rejects.toMatchObject({
      name: "ValidationException",
    });
  });

  it("aggregates by account and by EC2 instance, and lists covered instances", async () => {
    const accounts = await admin.send(new ListFindingAggregationsCommand({ aggregationType: "ACCOUNT" }));
    const byAccount = new Map(
      accounts.responses?.map((r) => [r.accountAggregation?.accountId, r.accountAggregation?.severityCounts]),
    );
    expect(byAccount.get("333333333333")).toEqual({ all: 7, critical: 1, high: 4, medium: 1 }); // active only: suppressed and closed ones do not count;
    const instances = await member.send(new ListFindingAggregationsCommand({ aggregationType: "AWS_EC2_INSTANCE" }));
    expect(instances.responses?.map((r) => r.ec2InstanceAggregation?.instanceId).sort()).toEqual([
      "i-0b10000000000001",
      "i-0b20000000000002",
      "i-0b30000000000003",
    ]);
    const coverage = await member.send(
      new ListCoverageCommand({
        filterCriteria: { resourceType: [{ comparison: "EQUALS", value: "AWS_EC2_INSTANCE" }] },
      }),
    );
    expect(coverage.coveredResources?.map((r) => [r.resourceId, r.resourceMetadata?.ec2?.tags?.["Name"]])).toEqual([
      ["i-0b10000000000001", "web-1"],
      ["i-0b20000000000002", "app-2"],
      ["i-0b30000000000003", "legacy-3"],
    ]);
  });

  it("throttles an account when the knob says so (ThrottlingException, retried by the SDK)", async () => {
    world.sandbox.faults.set({ inspector2: { "444444444444": { maxCallsPerMinute: 1 } } });
    try {
      await member.send(new ListFindingsCommand({ maxResults: 1 }));
      await expect(member.send(new ListFindingsCommand({ maxResults: 1 }))).rejects.toMatchObject({
        name: "ThrottlingException",
      });
      const stats = world.sandbox.counter.snapshot()["inspector2"];
      expect(stats?.bySubjectOperation["444444444444"]?.["ListFindings"]).toBeGreaterThan(0);
      expect(stats?.byStatus["429"]).toBeGreaterThan(0);
    } finally {
      world.sandbox.faults.set({});
    }
  });
});

describe("the member role's EC2 inventory (the instances of the no-agent sheet)", () => {
  async function inventory(client: EC2Client): Promise<CoveredInstance[]> {
    const instances: CoveredInstance[] = [];
    for await (const page of new Ec2InstanceInventory(
      client,
      "444444444444",
      world.sandbox.info.region,
    ).listInstances())
      instances.push(...page);
    return instances.sort((a, b) => (a.instanceId < b.instanceId ? -1 : 1));
  }

  it("lists the account's own instances with their Name tag and state, and leaves terminated ones out", async () => {
    expect((await inventory(memberEc2)).map((i) => [i.accountId, i.instanceId, i.name, i.state])).toEqual([
      ["444444444444", "i-0b10000000000001", "web-1", "running"],
      ["444444444444", "i-0b20000000000002", "app-2", "running"],
      ["444444444444", "i-0b30000000000003", "legacy-3", "running"],
    ]);
    await memberEc2.send(new TerminateInstancesCommand({ InstanceIds: ["i-0b30000000000003"] }));
    expect((await inventory(memberEc2)).map((i) => i.instanceId)).toEqual(["i-0b10000000000001", "i-0b20000000000002"]);
  });

  it("names the account and region when EC2 refuses (a typed INVENTORY_UNAVAILABLE error, with a hint)", async () => {
    // moto lets any credentials read EC2, so the refusal AWS sends to a role without the permission is mocked here.
    const refusing = new EC2Client({ region: world.sandbox.info.region });
    mockClient(refusing)
      .on(DescribeInstancesCommand)
      .rejects(
        Object.assign(new Error("You are not authorized to perform this operation."), {
          name: "UnauthorizedOperation",
        }),
      );
    const failure = await inventory(refusing).catch((error: unknown) => error);
    expect(failure).toMatchObject({
      code: ERROR_CODES.INVENTORY_UNAVAILABLE,
      details: { accountId: "444444444444", region: world.sandbox.info.region, awsError: "UnauthorizedOperation" },
    });
    expect(String((failure as Error).message)).toContain("ec2:DescribeInstances");
  });
});
