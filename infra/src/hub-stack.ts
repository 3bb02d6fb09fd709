import { Duration, RemovalPolicy, Stack, type StackProps } from "aws-cdk-lib";
import { Alarm, ComparisonOperator, TreatMissingData } from "aws-cdk-lib/aws-cloudwatch";
import { SnsAction } from "aws-cdk-lib/aws-cloudwatch-actions";
import { Effect, PolicyStatement } from "aws-cdk-lib/aws-iam";
import { Key } from "aws-cdk-lib/aws-kms";
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from "aws-cdk-lib/aws-s3";
import { Schedule, ScheduleExpression, ScheduleTargetInput } from "aws-cdk-lib/aws-scheduler";
import { StepFunctionsStartExecution } from "aws-cdk-lib/aws-scheduler-targets";
import { Secret, type ISecret } from "aws-cdk-lib/aws-secretsmanager";
import { Topic } from "aws-cdk-lib/aws-sns";
import { EmailSubscription } from "aws-cdk-lib/aws-sns-subscriptions";
import { Queue, QueueEncryption } from "aws-cdk-lib/aws-sqs";
import { ParameterTier, StringParameter } from "aws-cdk-lib/aws-ssm";
import type { Construct } from "constructs";
import { grantAccountAccess } from "./account-grants.js";
import { ArchiveCatalog } from "./archive.js";
import { hubConfigFor, roleNames, type Deployment } from "./deployment.js";
import { ComplianceRules } from "./compliance-rules.js";
import { WshubFunction, type StepName } from "./functions.js";
import { grantAudit, grantSend } from "./grants.js";
import { Reactions } from "./reactions.js";
import { RunStateMachine } from "./run-state-machine.js";
import { WshubTables } from "./tables.js";
import { grantWafAccess } from "./waf-grants.js";

export interface HubStackProps extends StackProps {
  deployment: Deployment;
  /** The react handler's file (default: apps/functions/src/handlers/react.ts); tests may point elsewhere. */
  reactHandlerEntry?: string;
}

/** The hub account: tables, secrets, configuration, the step functions, the weekly schedule, alarms. */
export class HubStack extends Stack {
  readonly stateMachineArn: string;
  readonly functions: Record<StepName, WshubFunction>;
  readonly tables: WshubTables;
  readonly reports: Bucket;
  readonly machine: RunStateMachine;
  readonly key: Key;
  readonly memberRoleName: string | undefined;
  /** The WAF write role the assign step may assume (only with `waf.mode: apply`). */
  readonly wafWriteRoleName: string | undefined;
  /** Present when the deployment has a `signals` section (issue 10). */
  readonly reactions: Reactions | undefined;
  /** Present when the configuration has an `archive` section. */
  readonly archive: ArchiveCatalog | undefined;

  constructor(scope: Construct, id: string, props: HubStackProps) {
    super(scope, id, { ...props, description: "wshub hub: Inspector findings vs Workload Security IPS coverage" });
    const d = props.deployment;
    const names = roleNames(d.prefix);
    const key = new Key(this, "Key", {
      enableKeyRotation: true,
      description: "wshub data at rest",
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const tables = new WshubTables(this, "Tables", { prefix: d.prefix, key });
    const reports = this.reportBucket(d.prefix);
    const secrets = this.tenantSecrets(d, key);
    const config = hubConfigFor(d, {
      findingsTable: tables.findings.tableName,
      runsTable: tables.runs.tableName,
      auditTable: tables.audit.tableName,
      reportBucket: reports.bucketName,
      tenantSecrets: Object.fromEntries(Object.entries(secrets).map(([tenant, secret]) => [tenant, secret.secretArn])),
    });
    const configJson = JSON.stringify(config);
    const parameter = new StringParameter(this, "Configuration", {
      parameterName: `/${d.prefix}/configuration`,
      description: "wshub hub configuration (JSON), read by every function at cold start",
      stringValue: configJson,
      tier: configJson.length > 4000 ? ParameterTier.ADVANCED : ParameterTier.STANDARD,
    });

    const environment = { WSHUB_CONFIG_PARAMETER: parameter.parameterName, POWERTOOLS_SERVICE_NAME: "wshub" };
    const step = (name: StepName, sizing: { memoryMb: number; timeoutMinutes: number; roleName?: string }) =>
      new WshubFunction(this, name, {
        prefix: d.prefix,
        step: name,
        environment,
        memorySize: sizing.memoryMb,
        timeout: Duration.minutes(sizing.timeoutMinutes),
        ...(sizing.roleName ? { roleName: sizing.roleName } : {}),
      });
    const fns = {
      startRun: step("startRun", { memoryMb: 1024, timeoutMinutes: 10, roleName: names.organizer }),
      collect: step("collect", { memoryMb: 1024, timeoutMinutes: 15, roleName: names.collector }),
      // A tenant's catalog and fleet in one heap, once a run: 1.76 GB peak measured for 16,000 computers at L.
      prepareTenant: step("prepareTenant", { memoryMb: 3008, timeoutMinutes: 15 }),
      // Fixed names: the member role trusts the evaluator (WAF reads); a WAF write role may trust the assigner.
      // The tenant's snapshot read back, its index and 20 accounts: 1,720-1,751 MB peak measured at L (16,090 computers).
      evaluateAccounts: step("evaluateAccounts", { memoryMb: 3008, timeoutMinutes: 10, roleName: names.evaluator }),
      assign: step("assign", { memoryMb: 1024, timeoutMinutes: 15, roleName: names.assigner }),
      reportAccount: step("reportAccount", { memoryMb: 2048, timeoutMinutes: 10 }),
      finishRun: step("finishRun", { memoryMb: 1024, timeoutMinutes: 10 }),
      configRule: step("configRule", { memoryMb: 1024, timeoutMinutes: 5, roleName: names.compliance }),
    };
    for (const fn of Object.values(fns)) {
      parameter.grantRead(fn.role);
      tables.runs.grantReadWriteData(fn.role);
      key.grantEncryptDecrypt(fn.role);
    }
    const readers = { organizer: fns.startRun.role, collector: fns.collect.role };
    grantAccountAccess(this, readers, d, config.collection.memberRole?.name);
    grantWafAccess(this, { evaluator: fns.evaluateAccounts.role, applier: fns.assign.role }, d, config);
    tables.findings.grantReadWriteData(fns.collect.role);
    tables.findings.grantReadData(fns.evaluateAccounts.role);
    for (const fn of [fns.prepareTenant, fns.assign, fns.configRule])
      for (const secret of Object.values(secrets)) secret.grantRead(fn.role);
    for (const fn of [fns.assign, fns.reportAccount, fns.finishRun, fns.configRule])
      grantAudit(fn.role, tables.audit.tableArn);
    for (const fn of [fns.reportAccount, fns.finishRun]) {
      fn.role.addToPrincipalPolicy(
        new PolicyStatement({
          effect: Effect.ALLOW,
          actions: ["s3:PutObject", "s3:GetObject"],
          resources: [reports.arnForObjects("reports/*")],
        }),
      );
      grantSend(fn.role, this, config.reports.sender);
    }

    // The hand-offs run in finishRun: Security Hub findings in the hub account, the archive in the customer's bucket.
    if (config.insights.securityHub?.enabled) {
      const region = config.insights.securityHub.region ?? config.hub.homeRegion;
      fns.finishRun.role.addToPrincipalPolicy(
        new PolicyStatement({
          effect: Effect.ALLOW,
          actions: ["securityhub:BatchImportFindings"],
          resources: [`arn:${this.partition}:securityhub:${region}:${this.account}:product/${this.account}/default`],
        }),
      );
    }
    this.archive = config.archive
      ? new ArchiveCatalog(this, "Archive", { prefix: d.prefix, archive: config.archive, writer: fns.finishRun.role })
      : undefined;

    const machine = new RunStateMachine(this, "RunStateMachine", {
      functions: Object.fromEntries(Object.entries(fns).map(([k, v]) => [k, v.function])) as Record<
        StepName,
        WshubFunction["function"]
      >,
      collectConcurrency: d.collectConcurrency,
      reportConcurrency: d.reportConcurrency,
      evaluateConcurrency: d.evaluateConcurrency,
      accountsPerBatch: config.collection.mode === "delegated-admin" ? 10 : 5,
      key,
    });
    this.stateMachineArn = machine.stateMachine.stateMachineArn;
    this.functions = fns;
    this.tables = tables;
    this.reports = reports;
    this.machine = machine;
    this.key = key;
    this.memberRoleName = config.collection.memberRole?.name;
    this.wafWriteRoleName = config.waf.mode === "apply" ? config.waf.writeRoleName : undefined;
    const alarmTopic = this.scheduleAndAlarms(d, machine, key);
    this.reactions = d.signals
      ? new Reactions(this, "Reactions", {
          prefix: d.prefix,
          signals: d.signals,
          key,
          alarmTopic,
          environment,
          parameter,
          tables,
          secrets: Object.values(secrets),
          sender: config.reports.sender,
          memberRoleName: config.collection.memberRole?.name,
          noticeTopicArn: config.signals.snsTopicArn,
          ...(props.reactHandlerEntry ? { entry: props.reactHandlerEntry } : {}),
        })
      : undefined;
  }

  private reportBucket(prefix: string): Bucket {
    const logs = new Bucket(this, "ReportAccessLogs", {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(365) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    return new Bucket(this, "Reports", {
      // SSE-S3 keeps presigned GET links working for recipients without KMS permissions.
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: false,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: `${prefix}-reports/`,
      lifecycleRules: [{ expiration: Duration.days(30) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  private tenantSecrets(d: Deployment, key: Key): Record<string, ISecret> {
    return Object.fromEntries(
      d.tenants.map((tenant) => [
        tenant.name,
        tenant.secretArn
          ? Secret.fromSecretCompleteArn(this, `Secret-${tenant.name}`, tenant.secretArn)
          : new Secret(this, `Secret-${tenant.name}`, {
              secretName: `${d.prefix}/tenants/${tenant.name}`,
              description: `Workload Security API key of tenant ${tenant.name}: set it to {"apiKey":"..."}`,
              encryptionKey: key,
              removalPolicy: RemovalPolicy.RETAIN,
            }),
      ]),
    );
  }

  private scheduleAndAlarms(d: Deployment, machine: RunStateMachine, key: Key): Topic {
    const deadLetters = new Queue(this, "ScheduleDeadLetters", {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    new Schedule(this, "WeeklyRun", {
      description: "wshub weekly run",
      schedule: ScheduleExpression.expression(
        d.schedule,
        d.scheduleTimezone === "UTC" ? undefined : (d.scheduleTimezone as never),
      ),
      target: new StepFunctionsStartExecution(machine.stateMachine, {
        input: ScheduleTargetInput.fromObject({ trigger: "schedule" }),
        deadLetterQueue: deadLetters,
        retryAttempts: 3,
        maxEventAge: Duration.hours(2),
      }),
    });
    const topic = new Topic(this, "Alarms", { masterKey: key, enforceSSL: true, displayName: "wshub alarms" });
    if (d.alarmEmail) topic.addSubscription(new EmailSubscription(d.alarmEmail));
    const alarms = [
      new Alarm(this, "RunFailedAlarm", {
        alarmDescription: "a wshub run failed as a whole (see the run record and the execution)",
        metric: machine.stateMachine.metricFailed({ period: Duration.hours(1) }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
      new Alarm(this, "ScheduleDeadLetterAlarm", {
        alarmDescription: "the weekly schedule could not start a wshub run",
        metric: deadLetters.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(15) }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    ];
    const compliance = { fn: this.functions.configRule, ...d, memberRoleName: this.memberRoleName };
    if (d.compliance) alarms.push(new ComplianceRules(this, "Compliance", compliance).errorsAlarm);
    for (const alarm of alarms) alarm.addAlarmAction(new SnsAction(topic));
    return topic;
  }
}
