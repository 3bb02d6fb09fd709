import { DescribeInstancesCommand, EC2Client } from "@aws-sdk/client-ec2";
import {
  ListAccountsCommand,
  ListAccountsForParentCommand,
  OrganizationsClient,
  type Account,
} from "@aws-sdk/client-organizations";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  seedAws,
  startAwsFront,
  startMotoServer,
  type AwsFront,
  type MotoServer,
  type SeedAwsResult,
} from "../src/aws/index.js";
import { CallCounter } from "../src/control/stats.js";
import type { Scenario, ScenarioAccount, ScenarioInstance, ScenarioOrganizationalUnit } from "../src/scenario/types.js";

const ACCOUNTS = 1000;

/** 1,000 accounts in 5 OUs with 3 child OUs each; one instance per account; every 50th suspended, every 25th without role. */
function syntheticOrganization(accountCount: number): Scenario {
  const units: ScenarioOrganizationalUnit[] = [];
  for (let top = 0; top < 5; top++) {
    units.push({ id: `ou-top${top}`, name: `Top ${top}`, parentId: "root" });
    for (let child = 0; child < 3; child++)
      units.push({ id: `ou-top${top}-c${child}`, name: `Child ${child}`, parentId: `ou-top${top}` });
  }
  const leaves = units.filter((u) => u.parentId !== "root");
  const accounts: ScenarioAccount[] = [];
  const instances: ScenarioInstance[] = [];
  for (let n = 0; n < accountCount; n++) {
    const id = String(100_000_000_000 + n);
    const special = n < 2;
    accounts.push({
      id,
      name: special ? ["management", "security-tooling"][n]! : `workload-${n}`,
      email: `account-${n}@example.com`,
      ouId: special ? "root" : leaves[n % leaves.length]!.id,
      status: !special && n % 50 === 0 ? "SUSPENDED" : "ACTIVE",
      tags: { CostCenter: `cc-${n % 7}`, SecurityContact: `sec-${n}@example.com` },
      memberRoleDeployed: special || n % 25 !== 0,
    });
    instances.push({
      accountId: id,
      region: "us-east-1",
      instanceId: `i-${(0x10000000000 + n).toString(16).padStart(17, "0")}`,
      name: `host-${n}`,
      tags: {},
    });
  }
  return {
    scenarioVersion: 1,
    name: "synthetic-1000",
    homeRegion: "us-east-1",
    organization: {
      managementAccountId: accounts[0]!.id,
      hubAccountId: accounts[1]!.id,
      organizationalUnits: units,
      accounts,
    },
    instances,
    findings: [],
    workloadSecurity: {
      tenants: [{ name: "t1", region: "us-1", apiKey: "k1", ipsRules: [], policies: [], computers: [] }],
    },
  };
}

const scenario = syntheticOrganization(ACCOUNTS);
let moto: MotoServer | undefined;
let front: AwsFront | undefined;
let seeded: SeedAwsResult;

beforeAll(async () => {
  moto = await startMotoServer();
  seeded = await seedAws(scenario, { motoEndpoint: moto.endpoint });
  console.info(
    `seeded ${ACCOUNTS} accounts + ${ACCOUNTS} instances in ${seeded.timingsMs.total} ms`,
    JSON.stringify(seeded.timingsMs),
  );
  front = await startAwsFront({
    motoEndpoint: moto.endpoint,
    dynamodbEndpoint: "http://127.0.0.1:9",
    inspector2: () => Promise.reject(new Error("not used")),
    counter: new CallCounter(),
  });
});

afterAll(async () => {
  await front?.close();
  await moto?.stop();
});

describe(`a ${ACCOUNTS}-account organization`, () => {
  it("is listed complete, 20 accounts a page, with the suspended ones SUSPENDED", async () => {
    const org = new OrganizationsClient({
      endpoint: front!.endpoint,
      region: "us-east-1",
      credentials: seeded.credentials.management,
    });
    const accounts: Account[] = [];
    let NextToken: string | undefined;
    do {
      const page = await org.send(new ListAccountsCommand({ MaxResults: 20, NextToken }));
      accounts.push(...(page.Accounts ?? []));
      NextToken = page.NextToken;
    } while (NextToken);
    expect(new Set(accounts.map((a) => a.Id)).size).toBe(ACCOUNTS);
    const suspended = accounts.filter((a) => a.Status === "SUSPENDED").map((a) => a.Id);
    expect(suspended.sort()).toEqual(
      scenario.organization.accounts
        .filter((a) => a.status === "SUSPENDED")
        .map((a) => a.id)
        .sort(),
    );
    const inLeaf = await org.send(new ListAccountsForParentCommand({ ParentId: "ou-top1-c2", MaxResults: 20 }));
    const expected = scenario.organization.accounts.filter((a) => a.ouId === "ou-top1-c2").map((a) => a.id);
    expect(inLeaf.Accounts?.map((a) => a.Id)).toEqual(expected.slice(0, 20));
  });

  it("lets the hub into the last account and denies the ones without the role", async () => {
    const sts = new STSClient({ endpoint: front!.endpoint, region: "us-east-1", credentials: seeded.credentials.hub });
    const last = scenario.organization.accounts.at(-1)!;
    const answer = await sts.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${last.id}:role/${seeded.memberRole.name}`,
        RoleSessionName: "scale",
        ExternalId: seeded.memberRole.externalId,
      }),
    );
    const c = answer.Credentials!;
    const ec2 = new EC2Client({
      endpoint: front!.endpoint,
      region: "us-east-1",
      credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! },
    });
    const described = await ec2.send(new DescribeInstancesCommand({}));
    expect(described.Reservations?.flatMap((r) => r.Instances ?? []).map((i) => i.InstanceId)).toEqual([
      scenario.instances.at(-1)!.instanceId,
    ]);
    const withoutRole = scenario.organization.accounts.find((a) => !a.memberRoleDeployed)!;
    await expect(
      sts.send(
        new AssumeRoleCommand({
          RoleArn: `arn:aws:iam::${withoutRole.id}:role/${seeded.memberRole.name}`,
          RoleSessionName: "scale",
          ExternalId: seeded.memberRole.externalId,
        }),
      ),
    ).rejects.toMatchObject({ name: "AccessDenied" });
  });
});
