import { Duration } from "aws-cdk-lib";
import type { IKey } from "aws-cdk-lib/aws-kms";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import {
  Choice,
  Condition,
  DefinitionBody,
  DistributedMap,
  Fail,
  ItemBatcher,
  JsonPath,
  LogLevel,
  Map as MapState,
  Pass,
  StateMachine,
  StateMachineType,
  Succeed,
  TaskInput,
} from "aws-cdk-lib/aws-stepfunctions";
import { LambdaInvoke } from "aws-cdk-lib/aws-stepfunctions-tasks";
import { Construct } from "constructs";
import type { StepName } from "./functions.js";

export interface RunStateMachineProps {
  functions: Record<StepName, IFunction>;
  collectConcurrency: number;
  reportConcurrency: number;
  /** EvaluateAccounts invocations at once (each reads its tenant's snapshot from the runs table). */
  evaluateConcurrency: number;
  /** Accounts per collect invocation (the delegated administrator reads 10 a call). */
  accountsPerBatch: number;
  key: IKey;
}

/** Tenants prepared at once (each reads its whole catalog and fleet from Workload Security). */
const TENANT_CONCURRENCY = 4;

/** Errors worth retrying: Lambda throttling and service hiccups (the functions retry AWS and vendor throttling themselves). */
const RETRYABLE = [
  "Lambda.TooManyRequestsException",
  "Lambda.ServiceException",
  "Lambda.AWSLambdaException",
  "Lambda.SdkClientException",
];

/**
 * The weekly run: start (take the run lease, list the organization) → distributed Map over accounts (collect) → Map over tenants
 * (prepare: each tenant's snapshot stored once) → distributed Map over account batches (evaluate) → assign when enabled → distributed Map over accounts (report and mail) → finish (summary, roll-up).
 * One account's or tenant's failure is tolerated: the maps tolerate 100 % item failures and every item's failure is
 * caught and recorded by the finish step; only a failure of the run as a whole fails the execution.
 */
export class RunStateMachine extends Construct {
  readonly stateMachine: StateMachine;

  constructor(scope: Construct, id: string, props: RunStateMachineProps) {
    super(scope, id);
    const f = props.functions;
    const invoke = (name: string, fn: IFunction, payload: Record<string, unknown>, resultPath?: string) => {
      const task = new LambdaInvoke(this, name, {
        lambdaFunction: fn,
        payload: TaskInput.fromObject(payload),
        payloadResponseOnly: true,
        retryOnServiceExceptions: false,
        ...(resultPath ? { resultPath } : {}),
      });
      task.addRetry({ errors: RETRYABLE, interval: Duration.seconds(5), backoffRate: 2, maxAttempts: 6 });
      return task;
    };

    const start = invoke("StartRun", f.startRun, { "trigger.$": "$.trigger" });
    // One run at a time: StartRun takes the run lease; an execution that finds it held ends here, having done nothing.
    const refused = new Fail(this, "RunRefused", { error: "WshubRunRefused", causePath: "$.refused" });
    const runFailed = new Fail(this, "RunFailed", {
      error: "WshubRunFailed",
      cause: "the organization could not be listed; see the run record",
    });

    const collectItem = invoke("CollectAccounts", f.collect, { "Items.$": "$.Items", "BatchInput.$": "$.BatchInput" });
    collectItem.addCatch(new Pass(this, "CollectFailed"), { resultPath: "$.error" });
    const collect = new DistributedMap(this, "Collect", {
      itemsPath: "$.accountIds",
      itemBatcher: new ItemBatcher({
        maxItemsPerBatch: props.accountsPerBatch,
        batchInput: { runId: JsonPath.stringAt("$.runId") },
      }),
      maxConcurrency: props.collectConcurrency,
      toleratedFailurePercentage: 100,
      mapExecutionType: StateMachineType.STANDARD,
      resultPath: JsonPath.DISCARD,
      label: "collect",
    });
    collect.itemProcessor(collectItem);

    // A tenant's catalog and fleet are read once (PrepareTenant) and stored with the run; the accounts are then
    // evaluated in batches from that snapshot, so no invocation grows with a tenant's share of the organization.
    const prepareItem = invoke("PrepareTenant", f.prepareTenant, { "runId.$": "$.runId", "tenant.$": "$.tenant" });
    prepareItem.addCatch(new Pass(this, "PrepareFailed"), { resultPath: "$.error" });
    const prepare = new MapState(this, "Prepare", {
      itemsPath: "$.tenants",
      itemSelector: { "runId.$": "$.runId", "tenant.$": "$$.Map.Item.Value" },
      maxConcurrency: TENANT_CONCURRENCY,
      resultPath: JsonPath.DISCARD,
    });
    prepare.itemProcessor(prepareItem);
    const evaluateItem = invoke("EvaluateAccounts", f.evaluateAccounts, { "runId.$": "$.runId", "batch.$": "$.batch" });
    evaluateItem.addCatch(new Pass(this, "EvaluateFailed"), { resultPath: "$.error" });
    const evaluate = new DistributedMap(this, "Evaluate", {
      itemsPath: "$.evaluationBatches",
      itemSelector: { "runId.$": "$.runId", "batch.$": "$$.Map.Item.Value" },
      maxConcurrency: props.evaluateConcurrency,
      toleratedFailurePercentage: 100,
      mapExecutionType: StateMachineType.STANDARD,
      resultPath: JsonPath.DISCARD,
      label: "evaluate",
    });
    evaluate.itemProcessor(evaluateItem);

    // The run's state (run id, accounts) must survive the assign step: its answer is kept beside it.
    const assign = invoke("Assign", f.assign, { "runId.$": "$.runId" }, "$.assignment");
    const assignFailed = new Pass(this, "AssignFailed");
    assign.addCatch(assignFailed, { resultPath: "$.assignment" });
    const maybeAssign = new Choice(this, "AssignmentEnabled?");

    const reportItem = invoke("ReportAccount", f.reportAccount, { "runId.$": "$.runId", "accountId.$": "$.accountId" });
    reportItem.addCatch(new Pass(this, "ReportFailed"), { resultPath: "$.error" });
    const report = new DistributedMap(this, "Report", {
      itemsPath: "$.accountIds",
      itemSelector: { "runId.$": "$.runId", "accountId.$": "$$.Map.Item.Value" },
      maxConcurrency: props.reportConcurrency,
      toleratedFailurePercentage: 100,
      mapExecutionType: StateMachineType.STANDARD,
      resultPath: JsonPath.DISCARD,
      label: "report",
    });
    report.itemProcessor(reportItem);
    assignFailed.next(report);

    const finish = invoke("FinishRun", f.finishRun, { "runId.$": "$.runId" });
    const outcome = new Choice(this, "RunOutcome")
      .when(
        Condition.stringEquals("$.status", "failed"),
        new Fail(this, "RunEndedFailed", { error: "WshubRunFailed", causePath: "$.runId" }),
      )
      .otherwise(new Succeed(this, "RunDone"));

    const definition = start.next(
      new Choice(this, "OrganizationListed?")
        .when(Condition.isPresent("$.refused"), refused)
        .when(Condition.booleanEquals("$.ok", false), runFailed)
        .otherwise(
          collect.next(
            prepare
              .next(evaluate)
              .next(
                maybeAssign
                  .when(Condition.booleanEquals("$.assign", true), assign.next(report))
                  .otherwise(report)
                  .afterwards()
                  .next(finish)
                  .next(outcome),
              ),
          ),
        ),
    );

    const logs = new LogGroup(this, "Logs", { retention: RetentionDays.SIX_MONTHS, encryptionKey: props.key });
    this.stateMachine = new StateMachine(this, "Run", {
      definitionBody: DefinitionBody.fromChainable(definition),
      timeout: Duration.hours(6),
      tracingEnabled: true,
      logs: { destination: logs, level: LogLevel.ALL, includeExecutionData: false },
      comment: "wshub weekly run",
    });
  }
}
