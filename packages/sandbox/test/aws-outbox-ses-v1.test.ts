import { SendEmailCommand, SendRawEmailCommand, SESClient } from "@aws-sdk/client-ses";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAwsSandbox, type AwsSandbox } from "../src/aws/index.js";
import { CallCounter } from "../src/control/stats.js";
import { startDynamoDbLocal } from "../src/dynamodb-local.js";
import type { ServiceProcess } from "../src/process/child.js";
import { builtInScenarioPath, loadScenarioFile } from "../src/scenario/load.js";

/** The outbox keeps what SES v1 (`SendRawEmail`, `SendEmail`) sends, as it keeps SES v2's raw `SendEmail`. */
let dynamodb: (ServiceProcess & { endpoint: string }) | undefined;
let sandbox: AwsSandbox;

beforeAll(async () => {
  dynamodb = await startDynamoDbLocal();
  sandbox = await startAwsSandbox({
    scenario: loadScenarioFile(builtInScenarioPath("example-small")),
    counter: new CallCounter(),
    dynamodbEndpoint: dynamodb.endpoint,
    inspector2: async () => ({ status: 200, headers: {}, body: "{}" }),
  });
});

afterAll(async () => {
  await sandbox?.stop();
  await dynamodb?.stop();
});

const ses = () =>
  new SESClient({ endpoint: sandbox.endpoint, region: sandbox.region, credentials: sandbox.credentials.hub });

describe("SES v1 outbox", () => {
  it("captures SendRawEmail byte for byte, and SendEmail as a composed MIME message", async () => {
    const mime = Buffer.from(
      [`From: ${sandbox.sender}`, "To: ops@example.com", "Subject: v1 raw", "", "Raw body ✓", ""].join("\r\n"),
    );
    const raw = await ses().send(
      new SendRawEmailCommand({
        Source: sandbox.sender,
        Destinations: ["ops@example.com"],
        RawMessage: { Data: new Uint8Array(mime) },
      }),
    );
    const simple = await ses().send(
      new SendEmailCommand({
        Source: sandbox.sender,
        Destination: { ToAddresses: ["a@example.com"], CcAddresses: ["b@example.com"] },
        Message: {
          Subject: { Data: "Coverage ✓" },
          Body: { Text: { Data: "Plain body" }, Html: { Data: "<p>x</p>" } },
        },
      }),
    );

    const [first, second] = sandbox.outbox();
    expect(sandbox.outbox()).toHaveLength(2);
    expect(first).toMatchObject({
      messageId: raw.MessageId,
      from: sandbox.sender,
      destination: { to: ["ops@example.com"], cc: [], bcc: [] },
      accountId: "222222222222",
    });
    expect(first?.raw.equals(mime)).toBe(true);
    expect(second).toMatchObject({
      messageId: simple.MessageId,
      destination: { to: ["a@example.com"], cc: ["b@example.com"], bcc: [] },
    });
    const text = second?.raw.toString("utf8") ?? "";
    expect(text).toContain(`Subject: =?UTF-8?B?${Buffer.from("Coverage ✓").toString("base64")}?=`);
    expect(text).toContain(Buffer.from("Plain body").toString("base64"));
    expect(text).toContain("Content-Type: text/html; charset=utf-8");
  });

  it("keeps nothing of a send that SES rejects", async () => {
    const before = sandbox.outbox().length;
    await expect(
      ses().send(
        new SendEmailCommand({
          Source: "stranger@example.org",
          Destination: { ToAddresses: ["a@example.com"] },
          Message: { Subject: { Data: "x" }, Body: { Text: { Data: "y" } } },
        }),
      ),
    ).rejects.toMatchObject({ name: "MessageRejected" });
    expect(sandbox.outbox()).toHaveLength(before);
  });
});
