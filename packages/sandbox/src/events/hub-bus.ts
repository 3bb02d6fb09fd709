import { motoJson } from "./moto-json.js";

/** What the hub's reactions stack (infra/src/reactions.ts) deploys, as the sandbox builds it in moto. */
export interface HubSignalRoute {
  eventBusName: string;
  eventBusArn: string;
  ruleName: string;
  /** On the AWS front (the product's endpoint). */
  queueUrl: string;
  deadLetterQueueUrl: string;
  queueArn: string;
}

export const HUB_SIGNALS = {
  eventBusName: "wshub-signals",
  ruleName: "wshub-signals-to-queue",
  queueName: "wshub-signals",
  deadLetterQueueName: "wshub-signals-dlq",
  /** As the stack sets it: a message that failed this often goes to the DLQ. */
  maxReceiveCount: 5,
  /** Seconds; 6 × the react function's timeout in the stack. */
  visibilityTimeout: 30,
} as const;

/** The finding events the hub reacts to (the same pattern as the stack's rule). */
export const SIGNAL_EVENT_PATTERN = {
  source: ["aws.guardduty", "aws.macie", "aws.inspector2"],
  "detail-type": ["GuardDuty Finding", "Macie Finding", "Inspector2 Finding"],
};

export interface HubSignalRouteOptions {
  motoEndpoint: string;
  /** Where the product reaches AWS: queue URLs are given on it. */
  frontEndpoint: string;
  hubAccountId: string;
  managementAccountId: string;
  region: string;
  /** A stand-alone scenario has no organization: the bus is the hub's own and takes no cross-account puts. */
  organization: boolean;
}

/**
 * In the hub account and home region: the custom bus (PutEvents for the organization only), the DLQ, the queue
 * (redrive to the DLQ, a policy letting the rule send), and the rule → queue target. moto delivers to SQS; it
 * cannot invoke a Lambda target, so the product's handler is driven from the queue, as its event source mapping is.
 */
export async function createHubSignalRoute(options: HubSignalRouteOptions): Promise<HubSignalRoute> {
  const call = (service: "events" | "sqs", operation: string, body: object) =>
    motoJson(options.motoEndpoint, {
      service,
      operation,
      accountId: options.hubAccountId,
      region: options.region,
      body,
    });
  const bus = await call("events", "CreateEventBus", { Name: HUB_SIGNALS.eventBusName });
  const eventBusArn = String(bus["EventBusArn"]);
  if (options.organization)
    await call("events", "PutPermission", {
      EventBusName: HUB_SIGNALS.eventBusName,
      Policy: JSON.stringify(busPolicy(eventBusArn, await organizationId(options))),
    });
  const dlq = await createQueue(call, HUB_SIGNALS.deadLetterQueueName, {});
  const queue = await createQueue(call, HUB_SIGNALS.queueName, {
    VisibilityTimeout: String(HUB_SIGNALS.visibilityTimeout),
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: HUB_SIGNALS.maxReceiveCount }),
  });
  const rule = await call("events", "PutRule", {
    Name: HUB_SIGNALS.ruleName,
    EventBusName: HUB_SIGNALS.eventBusName,
    EventPattern: JSON.stringify(SIGNAL_EVENT_PATTERN),
  });
  await call("sqs", "SetQueueAttributes", {
    QueueUrl: queue.url,
    Attributes: { Policy: JSON.stringify(queuePolicy(queue.arn, String(rule["RuleArn"]))) },
  });
  await call("events", "PutTargets", {
    Rule: HUB_SIGNALS.ruleName,
    EventBusName: HUB_SIGNALS.eventBusName,
    Targets: [{ Id: "queue", Arn: queue.arn }],
  });
  const onFront = (url: string) => url.replace(/^https?:\/\/[^/]+/, options.frontEndpoint);
  return {
    eventBusName: HUB_SIGNALS.eventBusName,
    eventBusArn,
    ruleName: HUB_SIGNALS.ruleName,
    queueUrl: onFront(queue.url),
    deadLetterQueueUrl: onFront(dlq.url),
    queueArn: queue.arn,
  };
}

type Call = (service: "events" | "sqs", operation: string, body: object) => Promise<Record<string, unknown>>;

async function createQueue(call: Call, name: string, attributes: Record<string, string>) {
  const created = await call("sqs", "CreateQueue", { QueueName: name, Attributes: attributes });
  const url = String(created["QueueUrl"]);
  const read = await call("sqs", "GetQueueAttributes", { QueueUrl: url, AttributeNames: ["QueueArn"] });
  const arn = String((read["Attributes"] as Record<string, string> | undefined)?.["QueueArn"]);
  return { url, arn };
}

async function organizationId(options: HubSignalRouteOptions): Promise<string> {
  const answer = await motoJson<{ Organization?: { Id?: string } }>(options.motoEndpoint, {
    service: "organizations",
    operation: "DescribeOrganization",
    accountId: options.managementAccountId,
    region: options.region,
    body: {},
  });
  return answer.Organization?.Id ?? "";
}

function busPolicy(eventBusArn: string, orgId: string): object {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "OrganizationMayPutEvents",
        Effect: "Allow",
        Principal: "*",
        Action: "events:PutEvents",
        Resource: eventBusArn,
        Condition: { StringEquals: { "aws:PrincipalOrgID": orgId } },
      },
    ],
  };
}

function queuePolicy(queueArn: string, ruleArn: string): object {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: "events.amazonaws.com" },
        Action: "sqs:SendMessage",
        Resource: queueArn,
        Condition: { ArnEquals: { "aws:SourceArn": ruleArn } },
      },
    ],
  };
}
