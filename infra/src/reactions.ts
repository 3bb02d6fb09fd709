import { Duration, RemovalPolicy, Stack } from "aws-cdk-lib";
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from "aws-cdk-lib/aws-cloudwatch";
import { SnsAction } from "aws-cdk-lib/aws-cloudwatch-actions";
import { AttributeType, Billing, TableEncryptionV2, TableV2 } from "aws-cdk-lib/aws-dynamodb";
import { CfnEventBusPolicy, EventBus, Rule } from "aws-cdk-lib/aws-events";
import { SqsQueue } from "aws-cdk-lib/aws-events-targets";
import { Effect, PolicyStatement } from "aws-cdk-lib/aws-iam";
import type { IKey } from "aws-cdk-lib/aws-kms";
import { SqsEventSource } from "aws-cdk-lib/aws-lambda-event-sources";
import type { ISecret } from "aws-cdk-lib/aws-secretsmanager";
import type { ITopic } from "aws-cdk-lib/aws-sns";
import { Queue, QueueEncryption } from "aws-cdk-lib/aws-sqs";
import type { IStringParameter } from "aws-cdk-lib/aws-ssm";
import { Construct } from "constructs";
import { roleNames, type Deployment } from "./deployment.js";
import { WshubFunction } from "./functions.js";
import { grantAudit, grantSend } from "./grants.js";
import type { WshubTables } from "./tables.js";

/** The finding events the hub reacts to: the hub rule's pattern, and what the forwarders send. */
export const SIGNAL_SOURCES = {
  guardduty: { source: "aws.guardduty", detailType: "GuardDuty Finding" },
  macie: { source: "aws.macie", detailType: "Macie Finding" },
  inspector2: { source: "aws.inspector2", detailType: "Inspector2 Finding" },
} as const;

/** Seconds the react function may run; the queue hides a message six times as long (AWS's advice for SQS sources). */
const REACT_TIMEOUT_MINUTES = 5;
const VISIBILITY_FACTOR = 6;
/** Deliveries before a message goes to the dead-letter queue (a Workload Security outage retries this often). */
export const MAX_RECEIVE_COUNT = 5;

export interface ReactionsProps {
  prefix: string;
  signals: NonNullable<Deployment["signals"]>;
  key: IKey;
  alarmTopic: ITopic;
  /** The functions' environment (the configuration parameter). */
  environment: Record<string, string>;
  parameter: IStringParameter;
  tables: WshubTables;
  secrets: ISecret[];
  /** The reports' sender: notices go out from it (SES). */
  sender: string;
  /** The member role the react function assumes for its reads (bucket policy, IAM, instances). */
  memberRoleName: string | undefined;
  /** The hub configuration's optional notice topic (`signals.snsTopicArn`). */
  noticeTopicArn: string | undefined;
  /** The handler file (default: apps/functions/src/handlers/react.ts). */
  entry?: string;
}

/**
 * The event path of issue 10 in the hub: a custom bus that only the organization may put to, a rule → an encrypted
 * queue with a dead-letter queue → the react function (batches, partial batch failures, bounded concurrency), the
 * idempotency/coalescing table, and alarms on dead letters, undeliverable events and function errors.
 */
export class Reactions extends Construct {
  readonly bus: EventBus;
  readonly queue: Queue;
  readonly deadLetters: Queue;
  readonly table: TableV2;
  readonly react: WshubFunction;

  constructor(scope: Construct, id: string, props: ReactionsProps) {
    super(scope, id);
    this.bus = new EventBus(this, "Bus", { eventBusName: `${props.prefix}-signals` });
    new CfnEventBusPolicy(this, "OrganizationMayPut", {
      eventBusName: this.bus.eventBusName,
      statementId: "OrganizationMayPutEvents",
      statement: {
        Effect: "Allow",
        Principal: "*",
        Action: "events:PutEvents",
        Resource: this.bus.eventBusArn,
        Condition: { StringEquals: { "aws:PrincipalOrgID": props.signals.organizationId } },
      },
    });
    this.table = this.signalTable(props);
    this.react = new WshubFunction(this, "React", {
      prefix: props.prefix,
      step: "react",
      ...(props.entry ? { entry: props.entry } : {}),
      // The stack names the function's table and concurrency; they win over the configuration's (runtime.ts).
      environment: {
        ...props.environment,
        WSHUB_SIGNALS_TABLE: this.table.tableName,
        WSHUB_REACT_CONCURRENCY: String(props.signals.maximumConcurrency),
      },
      memorySize: 1024,
      timeout: Duration.minutes(REACT_TIMEOUT_MINUTES),
      roleName: roleNames(props.prefix).reactor,
    });
    this.grant(props);
    const encrypted = { encryption: QueueEncryption.KMS, encryptionMasterKey: props.key, enforceSSL: true };
    this.deadLetters = new Queue(this, "DeadLetters", { ...encrypted, retentionPeriod: Duration.days(14) });
    this.queue = new Queue(this, "Queue", {
      ...encrypted,
      retentionPeriod: Duration.days(4),
      visibilityTimeout: Duration.minutes(REACT_TIMEOUT_MINUTES * VISIBILITY_FACTOR),
      deadLetterQueue: { queue: this.deadLetters, maxReceiveCount: MAX_RECEIVE_COUNT },
    });
    const rule = new Rule(this, "ToQueue", {
      eventBus: this.bus,
      description: "wshub: GuardDuty, Macie and Inspector finding events to the react queue",
      eventPattern: {
        source: Object.values(SIGNAL_SOURCES).map((s) => s.source),
        detailType: Object.values(SIGNAL_SOURCES).map((s) => s.detailType),
      },
      targets: [new SqsQueue(this.queue, { deadLetterQueue: this.deadLetters, retryAttempts: 8 })],
    });
    this.react.function.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: props.signals.batchSize,
        maxBatchingWindow: Duration.seconds(5),
        reportBatchItemFailures: true,
        maxConcurrency: props.signals.maximumConcurrency,
      }),
    );
    this.alarms(props.alarmTopic, rule);
  }

  /** What the react use case touches: configuration, key, tables, tenant secrets, SES, SNS, member role. */
  private grant(props: ReactionsProps): void {
    const role = this.react.role;
    props.parameter.grantRead(role);
    props.key.grantEncryptDecrypt(role);
    this.table.grantReadWriteData(role);
    props.tables.runs.grantReadData(role);
    props.tables.findings.grantReadWriteData(role);
    grantAudit(role, props.tables.audit.tableArn);
    for (const secret of props.secrets) secret.grantRead(role);
    grantSend(role, Stack.of(this), props.sender);
    if (props.noticeTopicArn)
      role.addToPrincipalPolicy(
        new PolicyStatement({ effect: Effect.ALLOW, actions: ["sns:Publish"], resources: [props.noticeTopicArn] }),
      );
    if (props.memberRoleName)
      role.addToPrincipalPolicy(
        new PolicyStatement({
          effect: Effect.ALLOW,
          actions: ["sts:AssumeRole"],
          resources: [`arn:${Stack.of(this).partition}:iam::*:role/${props.memberRoleName}`],
        }),
      );
  }

  private signalTable(props: ReactionsProps): TableV2 {
    return new TableV2(this, "Table", {
      tableName: `${props.prefix}-signals`,
      partitionKey: { name: "pk", type: AttributeType.STRING },
      sortKey: { name: "sk", type: AttributeType.STRING },
      timeToLiveAttribute: "expiresAt",
      billing: Billing.onDemand(),
      encryption: TableEncryptionV2.customerManagedKey(props.key),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  private alarms(topic: ITopic, rule: Rule): void {
    const atLeastOne = {
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    };
    const alarms = [
      new Alarm(this, "DeadLetterAlarm", {
        ...atLeastOne,
        alarmDescription: "finding events wshub could not act on are in the react dead-letter queue (redrive them)",
        metric: this.deadLetters.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
      }),
      new Alarm(this, "ReactErrorsAlarm", {
        ...atLeastOne,
        alarmDescription: "the react function failed (an invocation error, not a rejected event)",
        metric: this.react.function.metricErrors({ period: Duration.minutes(5) }),
      }),
      new Alarm(this, "UndeliveredEventsAlarm", {
        ...atLeastOne,
        alarmDescription: "the hub bus could not deliver finding events to the react queue",
        metric: new Metric({
          namespace: "AWS/Events",
          metricName: "FailedInvocations",
          dimensionsMap: { RuleName: rule.ruleName, EventBusName: this.bus.eventBusName },
          period: Duration.minutes(5),
          statistic: "Sum",
        }),
      }),
    ];
    for (const alarm of alarms) alarm.addAlarmAction(new SnsAction(topic));
  }
}

/** The member-account reads the react function makes through the member role (SIGNALS.md of issue 10). */
export const REACT_MEMBER_ACTIONS = [
  "iam:GetAccountAuthorizationDetails",
  "s3:GetBucketPolicy",
  "ec2:DescribeInstances",
];
