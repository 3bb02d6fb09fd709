import { randomBytes } from "node:crypto";
import {
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
} from "@aws-sdk/client-dynamodb";
import { DescribeInstancesCommand, EC2Client } from "@aws-sdk/client-ec2";
import { Inspector2Client, ListFindingsCommand } from "@aws-sdk/client-inspector2";
import {
  DescribeOrganizationCommand,
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListDelegatedAdministratorsCommand,
  ListOrganizationalUnitsForParentCommand,
  ListParentsCommand,
  ListRootsCommand,
  ListTagsForResourceCommand,
  OrganizationsClient,
  type Account,
} from "@aws-sdk/client-organizations";
import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SendEmailCommand, SESv2Client } from "@aws-sdk/client-sesv2";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  startAwsSandbox,
  DENIAL_REASON_HEADER,
  type AwsCredentials,
  type AwsSandbox,
  type Caller,
} from "../src/aws/index.js";
import { CallCounter } from "../src/control/stats.js";
import { startDynamoDbLocal } from "../src/dynamodb-local.js";
import type { ServiceProcess } from "../src/process/child.js";
import { builtInScenarioPath, loadScenarioFile } from "../src/scenario/load.js";
import type { Scenario } from "../src/scenario/types.js";

/** example-small, plus a suspended tagged account and an instance in a second region with an instance profile. */
function testScenario(): Scenario {
  const scenario = loadScenarioFile(builtInScenarioPath("example-small"));
  scenario.organization.accounts.push({
    id: "777777777777",
    name: "closed-dev",
    email: "closed@example.com",
    ouId: "ou-dev",
    status: "SUSPENDED",
    tags: { Owner: "nobody" },
    memberRoleDeployed: true,
  });
  scenario.instances.push({
    accountId: "333333333333",
    region: "eu-west-1",
    instanceId: "i-0a40000000000004",
    name: "web-eu-west",
    tags: { Tier: "web" },
    instanceProfileRoleName: "ssm-managed",
  });
  return scenario;
}

interface InspectorCall {
  caller: Caller;
  path: string;
  body: string;
}

const scenario = testScenario();
const counter = new CallCounter();
const inspectorCalls: InspectorCall[] = [];
let dynamodb: (ServiceProcess & { endpoint: string }) | undefined;
let sandbox: AwsSandbox;

beforeAll(async () => {
  dynamodb = await startDynamoDbLocal();
  sandbox = await startAwsSandbox({
    scenario,
    counter,
    dynamodbEndpoint: dynamodb.endpoint,
    inspector2: async (request, body, caller) => {
      inspectorCalls.push({ caller, path: request.url ?? "", body: body.toString("utf8") });
      return { status: 200, headers: { "content-type": "application/json" }, body: JSON.stringify({ findings: [] }) };
    },
  });
  console.info(
    `AWS sandbox for ${scenario.name} up in ${sandbox.timingsMs.total} ms`,
    JSON.stringify(sandbox.timingsMs),
  );
});

afterAll(async () => {
  await sandbox?.stop();
  await dynamodb?.stop();
});

const config = (credentials: AwsCredentials, region = sandbox.region) => ({
  endpoint: sandbox.endpoint,
  region,
  credentials,
});

async function assume(as: AwsCredentials, roleArn: string, externalId?: string): Promise<AwsCredentials> {
  const sts = new STSClient(config(as));
  const answer = await sts.send(
    new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "wshub-test", ExternalId: externalId }),
  );
  const c = answer.Credentials;
  return {
    accessKeyId: c?.AccessKeyId ?? "",
    secretAccessKey: c?.SecretAccessKey ?? "",
    sessionToken: c?.SessionToken ?? "",
  };
}

const memberRoleArn = (accountId: string) => `arn:aws:iam::${accountId}:role/${sandbox.memberRole.name}`;

async function allAccounts(client: OrganizationsClient): Promise<Account[]> {
  const accounts: Account[] = [];
  let NextToken: string | undefined;
  do {
    const page = await client.send(new ListAccountsCommand({ MaxResults: 2, NextToken }));
    accounts.push(...(page.Accounts ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return accounts;
}

async function expectOrganizationOfScenario(client: OrganizationsClient): Promise<void> {
  const accounts = await allAccounts(client);
  const expected = scenario.organization.accounts.map((a) => ({
    Id: a.id,
    Name: a.name,
    Email: a.email,
    Status: a.status,
  }));
  expect(accounts.map((a) => ({ Id: a.Id, Name: a.Name, Email: a.Email, Status: a.Status }))).toEqual(
    expect.arrayContaining(expected),
  );
  expect(accounts).toHaveLength(expected.length);

  const rootId = (await client.send(new ListRootsCommand({}))).Roots?.[0]?.Id;
  const topOus = await client.send(new ListOrganizationalUnitsForParentCommand({ ParentId: rootId }));
  expect(topOus.OrganizationalUnits?.map((ou) => [ou.Id, ou.Name]).sort()).toEqual([
    ["ou-dev", "Dev"],
    ["ou-prod", "Prod"],
  ]);
  const euOus = await client.send(new ListOrganizationalUnitsForParentCommand({ ParentId: "ou-prod" }));
  expect(euOus.OrganizationalUnits?.map((ou) => ou.Id)).toEqual(["ou-prod-eu"]);
  const inEu = await client.send(new ListAccountsForParentCommand({ ParentId: "ou-prod-eu" }));
  expect(inEu.Accounts?.map((a) => a.Id)).toEqual(["333333333333"]);
  const atRoot = await client.send(new ListAccountsForParentCommand({ ParentId: rootId }));
  expect(atRoot.Accounts?.map((a) => a.Id).sort()).toEqual(["111111111111", "222222222222", "666666666666"]);
  const parents = await client.send(new ListParentsCommand({ ChildId: "777777777777" }));
  expect(parents.Parents).toEqual([{ Id: "ou-dev", Type: "ORGANIZATIONAL_UNIT" }]);
  const tags = await client.send(new ListTagsForResourceCommand({ ResourceId: "333333333333" }));
  expect(tags.Tags).toEqual([{ Key: "SecurityContact", Value: "pay-sec@example.com" }]);
  const suspendedTags = await client.send(new ListTagsForResourceCommand({ ResourceId: "777777777777" }));
  expect(suspendedTags.Tags).toEqual([{ Key: "Owner", Value: "nobody" }]);
}

describe("Organizations", () => {
  it("shows the management account the scenario's OUs, accounts (SUSPENDED where set) and tags", async () => {
    await expectOrganizationOfScenario(new OrganizationsClient(config(sandbox.credentials.management)));
  });

  it("shows the same through the organization-read role assumed by the hub", async () => {
    const credentials = await assume(
      sandbox.credentials.hub,
      sandbox.organizationReadRoleArn,
      sandbox.memberRole.externalId,
    );
    const client = new OrganizationsClient(config(credentials));
    await expectOrganizationOfScenario(client);
    const organization = await client.send(new DescribeOrganizationCommand({}));
    expect(organization.Organization?.MasterAccountId).toBe("111111111111");
    const delegated = await client.send(
      new ListDelegatedAdministratorsCommand({ ServicePrincipal: "inspector2.amazonaws.com" }),
    );
    expect(delegated.DelegatedAdministrators?.map((d) => d.Id)).toEqual(["222222222222"]);
  });
});

describe("STS AssumeRole", () => {
  it("lets the hub into a member account with the external id; the credentials act as that account only", async () => {
    const credentials = await assume(
      sandbox.credentials.hub,
      memberRoleArn("333333333333"),
      sandbox.memberRole.externalId,
    );
    const identity = await new STSClient(config(credentials)).send(new GetCallerIdentityCommand({}));
    expect(identity.Account).toBe("333333333333");
    expect(identity.Arn).toBe(`arn:aws:sts::333333333333:assumed-role/${sandbox.memberRole.name}/wshub-test`);

    const instancesIn = async (region: string) => {
      const answer = await new EC2Client(config(credentials, region)).send(new DescribeInstancesCommand({}));
      return (answer.Reservations ?? []).flatMap((r) => r.Instances ?? []);
    };
    const home = await instancesIn("us-east-1");
    expect(home.map((i) => i.InstanceId).sort()).toEqual([
      "i-0a10000000000001",
      "i-0a20000000000002",
      "i-0a30000000000003",
    ]);
    const web = home.find((i) => i.InstanceId === "i-0a10000000000001");
    expect(web?.Tags).toEqual(
      expect.arrayContaining([
        { Key: "Name", Value: "web-eu-1" },
        { Key: "Tier", Value: "web" },
      ]),
    );
    const ireland = await instancesIn("eu-west-1");
    expect(ireland.map((i) => [i.InstanceId, i.IamInstanceProfile?.Arn])).toEqual([
      ["i-0a40000000000004", "arn:aws:iam::333333333333:instance-profile/ssm-managed"],
    ]);
    expect(ireland[0]?.Tags).toEqual(expect.arrayContaining([{ Key: "Name", Value: "web-eu-west" }]));
  });

  it("denies an account without the member role", async () => {
    await expect(
      assume(sandbox.credentials.hub, memberRoleArn("666666666666"), sandbox.memberRole.externalId),
    ).rejects.toMatchObject({
      name: "AccessDenied",
      $metadata: { httpStatusCode: 403 },
    });
  });

  it("denies a wrong or missing external id", async () => {
    const arn = memberRoleArn("444444444444");
    await expect(assume(sandbox.credentials.hub, arn, "not-the-id")).rejects.toMatchObject({ name: "AccessDenied" });
    await expect(assume(sandbox.credentials.hub, arn)).rejects.toMatchObject({ name: "AccessDenied" });
  });

  it("denies callers the trust policy does not name", async () => {
    const arn = memberRoleArn("444444444444");
    const id = sandbox.memberRole.externalId;
    await expect(assume(sandbox.credentials.management, arn, id)).rejects.toMatchObject({ name: "AccessDenied" });
    const member = await assume(sandbox.credentials.hub, memberRoleArn("333333333333"), id);
    await expect(assume(member, arn, id)).rejects.toMatchObject({ name: "AccessDenied" });
  });

  it("says why in a header, while the message stays AWS's", async () => {
    const reasons = await Promise.all(
      [
        ["666666666666", sandbox.memberRole.externalId],
        ["444444444444", "wrong"],
        ["444444444444", undefined],
      ].map(async ([account, externalId]) => {
        const form = new URLSearchParams({ Action: "AssumeRole", Version: "2011-06-15", RoleSessionName: "s1" });
        form.set("RoleArn", memberRoleArn(account ?? ""));
        if (externalId !== undefined) form.set("ExternalId", externalId);
        const response = await fetch(sandbox.endpoint, {
          method: "POST",
          headers: {
            "content-type": "application/x-www-form-urlencoded",
            authorization: `AWS4-HMAC-SHA256 Credential=${sandbox.credentials.hub.accessKeyId}/20261124/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=0`,
          },
          body: form,
        });
        const text = await response.text();
        expect(response.status).toBe(403);
        expect(text).toContain("<Code>AccessDenied</Code>");
        expect(text).toContain(`User: ${sandbox.credentials.hub.arn} is not authorized to perform: sts:AssumeRole`);
        return response.headers.get(DENIAL_REASON_HEADER);
      }),
    );
    expect(reasons).toEqual([
      `role ${memberRoleArn("666666666666")} does not exist`,
      "the external id does not match",
      "the trust policy requires an external id and none was given",
    ]);
  });
});

describe("routing", () => {
  it("sends DynamoDB calls to DynamoDB Local, with the tables of the caller's account", async () => {
    const client = new DynamoDBClient(config(sandbox.credentials.hub));
    await client.send(
      new CreateTableCommand({
        TableName: "wshub-runs",
        KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
        AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
        BillingMode: "PAY_PER_REQUEST",
      }),
    );
    await client.send(new PutItemCommand({ TableName: "wshub-runs", Item: { pk: { S: "run-1" } } }));
    // Straight to DynamoDB Local, as the hub account: the item is there.
    const direct = new DynamoDBClient({
      endpoint: dynamodb?.endpoint ?? "",
      region: sandbox.region,
      credentials: { accessKeyId: "222222222222", secretAccessKey: "x" },
    });
    const item = await direct.send(new GetItemCommand({ TableName: "wshub-runs", Key: { pk: { S: "run-1" } } }));
    expect(item.Item).toEqual({ pk: { S: "run-1" } });
    // Another account has its own (empty) set of tables.
    const member = await assume(sandbox.credentials.hub, memberRoleArn("333333333333"), sandbox.memberRole.externalId);
    const memberTables = await new DynamoDBClient(config(member)).send(new ListTablesCommand({}));
    expect(memberTables.TableNames).toEqual([]);
  });

  it("hands inspector2 calls to the handler with the caller's account", async () => {
    const hub = new Inspector2Client(config(sandbox.credentials.hub));
    const answer = await hub.send(
      new ListFindingsCommand({
        maxResults: 50,
        filterCriteria: { awsAccountId: [{ comparison: "EQUALS", value: "333333333333" }] },
      }),
    );
    expect(answer.findings).toEqual([]);
    const member = await assume(sandbox.credentials.hub, memberRoleArn("444444444444"), sandbox.memberRole.externalId);
    await new Inspector2Client(config(member)).send(new ListFindingsCommand({}));
    expect(inspectorCalls.map((c) => [c.path, c.caller.accountId])).toEqual([
      ["/findings/list", "222222222222"],
      ["/findings/list", "444444444444"],
    ]);
    expect(inspectorCalls[0]?.caller.arn).toBe(sandbox.credentials.hub.arn);
    expect(JSON.parse(inspectorCalls[0]?.body ?? "{}")).toMatchObject({ maxResults: 50 });
    expect(counter.snapshot()["inspector2"]?.bySubjectOperation).toMatchObject({
      "222222222222": { ListFindings: 1 },
      "444444444444": { ListFindings: 1 },
    });
  });

  it("serves S3 objects of the report bucket, also through presigned URLs", async () => {
    const s3 = new S3Client({ ...config(sandbox.credentials.hub), forcePathStyle: true });
    const body = randomBytes(6 * 1024 * 1024);
    await s3.send(new PutObjectCommand({ Bucket: sandbox.reportBucket, Key: "runs/r1/report.xlsx", Body: body }));
    const got = await s3.send(new GetObjectCommand({ Bucket: sandbox.reportBucket, Key: "runs/r1/report.xlsx" }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(body)).toBe(true);

    // The shape of a presigned GET (moto does not check signatures; the front routes on X-Amz-Credential).
    const now = new Date()
      .toISOString()
      .replace(/[-:]/g, "")
      .replace(/\.\d{3}/, "");
    const link = new URL(`${sandbox.endpoint}/${sandbox.reportBucket}/runs/r1/report.xlsx`);
    link.searchParams.set("X-Amz-Algorithm", "AWS4-HMAC-SHA256");
    link.searchParams.set(
      "X-Amz-Credential",
      `${sandbox.credentials.hub.accessKeyId}/${now.slice(0, 8)}/us-east-1/s3/aws4_request`,
    );
    link.searchParams.set("X-Amz-Date", now);
    link.searchParams.set("X-Amz-Expires", "900");
    link.searchParams.set("X-Amz-SignedHeaders", "host");
    link.searchParams.set("X-Amz-Signature", "0".repeat(64));
    const download = await fetch(link);
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(body)).toBe(true);
    expect(counter.snapshot()["s3"]?.bySubjectOperation["222222222222"]).toMatchObject({ PutObject: 1, GetObject: 2 });
  });
});

describe("SES and Secrets Manager", () => {
  it("captures a sent raw e-mail byte for byte", async () => {
    const attachment = randomBytes(4096).toString("base64").replace(/.{76}/g, "$&\r\n");
    const mime = Buffer.from(
      [
        `From: ${sandbox.sender}`,
        "To: pay-sec@example.com",
        "Subject: =?UTF-8?Q?Coverage_=E2=9C=93?=",
        "MIME-Version: 1.0",
        'Content-Type: multipart/mixed; boundary="b1"',
        "",
        "--b1",
        "Content-Type: text/plain; charset=utf-8",
        "",
        "Report attached.",
        "--b1",
        'Content-Type: application/octet-stream; name="report.bin"',
        "Content-Transfer-Encoding: base64",
        'Content-Disposition: attachment; filename="report.bin"',
        "",
        attachment,
        "--b1--",
        "",
      ].join("\r\n"),
    );
    const ses = new SESv2Client(config(sandbox.credentials.hub));
    const sent = await ses.send(
      new SendEmailCommand({
        FromEmailAddress: sandbox.sender,
        Destination: { ToAddresses: ["pay-sec@example.com"] },
        Content: { Raw: { Data: new Uint8Array(mime) } },
      }),
    );
    await expect(
      ses.send(
        new SendEmailCommand({
          FromEmailAddress: "stranger@example.org",
          Destination: { ToAddresses: ["pay-sec@example.com"] },
          Content: { Raw: { Data: new Uint8Array(mime) } },
        }),
      ),
    ).rejects.toMatchObject({ name: "MessageRejected" });

    const outbox = sandbox.outbox();
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({
      messageId: sent.MessageId,
      from: sandbox.sender,
      destination: { to: ["pay-sec@example.com"], cc: [], bcc: [] },
      accountId: "222222222222",
    });
    expect(outbox[0]?.raw.equals(mime)).toBe(true);
  });

  it("holds the tenant API keys", async () => {
    const secrets = new SecretsManagerClient(config(sandbox.credentials.hub));
    for (const tenant of scenario.workloadSecurity.tenants) {
      const secretName = sandbox.tenantSecrets[tenant.name];
      expect(secretName).toBe(`wshub/tenants/${tenant.name}`);
      const value = await secrets.send(new GetSecretValueCommand({ SecretId: secretName }));
      expect(JSON.parse(value.SecretString ?? "{}")).toEqual({ apiKey: tenant.apiKey });
    }
  });
});

describe("counting", () => {
  it("records every call per api, operation, caller account and status", () => {
    const stats = counter.snapshot();
    expect(stats["sts"]?.bySubjectOperation["222222222222"]?.["AssumeRole"]).toBeGreaterThanOrEqual(8);
    expect(stats["sts"]?.byStatus["403"]).toBe(8);
    expect(stats["organizations"]?.bySubjectOperation["111111111111"]).toMatchObject({
      ListRoots: 2,
      DescribeOrganization: 1,
    });
    expect(stats["dynamodb"]?.bySubjectOperation["222222222222"]).toMatchObject({ CreateTable: 1, PutItem: 1 });
    expect(stats["sesv2"]?.byStatus).toEqual({ "200": 1, "400": 1 });
    expect(stats["secretsmanager"]?.byOperation).toEqual({ GetSecretValue: 2 });
    expect(stats["ec2"]?.bySubjectOperation["333333333333"]).toEqual({ DescribeInstances: 2 });
  });
});
