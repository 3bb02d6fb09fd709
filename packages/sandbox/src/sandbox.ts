import { startAwsSandbox, type AwsSandbox } from "./aws/index.js";
import { startControlServer, type ControlServer } from "./control/server.js";
import { FaultPlan, type FaultConfig } from "./control/faults.js";
import { CallCounter } from "./control/stats.js";
import { startDynamoDbLocal } from "./dynamodb-local.js";
import { createHubSignalRoute, type HubSignalRoute } from "./events/hub-bus.js";
import { injectFindings, type InjectOutcome, type InjectRequest } from "./events/injector.js";
import { createInspectorEmulator } from "./inspector/index.js";
import { Inventory } from "./inspector/inventory.js";
import { parseScenarioStep, type ScenarioStep } from "./scenario/step.js";
import { hasOrganization, type Scenario } from "./scenario/types.js";
import {
  hostVulnerabilitiesOf,
  startWorkloadSecuritySimulator,
  type WorkloadSecuritySimulator,
} from "./workload-security/index.js";

/** Everything a client needs to use the sandbox: what `wshub sandbox` prints as one JSON object. */
export interface SandboxInfo {
  scenario: string;
  region: string;
  aws: {
    /** One endpoint for every AWS service (Organizations, STS, Inspector2, DynamoDB, SES v2, Secrets Manager, S3, EC2, IAM). */
    endpoint: string;
    hub: { accountId: string; arn: string; accessKeyId: string; secretAccessKey: string };
    management: { accountId: string; arn: string; accessKeyId: string; secretAccessKey: string };
    organizationReadRoleArn: string;
    memberRole: { name: string; externalId: string };
    sender: string;
    reportBucket: string;
  };
  dynamodb: { endpoint: string; note: string };
  workloadSecurity: {
    url: string;
    /**
     * Per tenant, the URL to configure (`tenants[].url`: the simulator, never the vendor's region host) and the
     * Secrets Manager secret that holds its API key.
     */
    tenants: Record<string, { url: string; apiKeySecret: string }>;
  };
  control: { url: string };
  /** The hub's signal route in moto: bus → rule → queue (→ DLQ); the react handler is driven from the queue. */
  signals: HubSignalRoute;
  startupMs: Record<string, number>;
}

export interface Sandbox {
  info: SandboxInfo;
  counter: CallCounter;
  faults: FaultPlan;
  aws: AwsSandbox;
  workloadSecurity: WorkloadSecuritySimulator;
  control: ControlServer;
  /** Apply a scenario step (new findings, status changes, new agents) between two runs; also `POST /advance`. */
  advance(step: unknown): StepOutcome;
  /** Put finding events on the hub bus (duplicates, out of order on request); also `POST /signals`. */
  injectFindings(request: InjectRequest): Promise<InjectOutcome>;
  stop(): Promise<void>;
}

export interface StepOutcome {
  at: string;
  findingsAdded: number;
  findingStatusChanges: number;
  computersAdded: number;
  rulesPut: number;
}

export interface SandboxOptions {
  faults?: FaultConfig;
  faultSeed?: number;
  memberRoleName?: string;
  externalId?: string;
}

/**
 * Start the whole sandbox for a scenario: DynamoDB Local, the Inspector2 emulator and moto behind the AWS front, the
 * Workload Security simulator, and the control API. `stop()` ends every server and child process.
 */
export async function startSandbox(scenario: Scenario, options: SandboxOptions = {}): Promise<Sandbox> {
  const started = performance.now();
  const counter = new CallCounter();
  const faults = new FaultPlan(options.faultSeed ?? 1);
  if (options.faults) faults.set(options.faults);
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };
  try {
    const timings: Record<string, number> = {};
    const mark = (name: string, since: number) => (timings[name] = Math.round(performance.now() - since));
    const t0 = performance.now();
    const [dynamodb, workloadSecurity] = await Promise.all([
      startDynamoDbLocal(),
      startWorkloadSecuritySimulator({
        tenants: scenario.workloadSecurity.tenants,
        hostVulnerabilities: hostVulnerabilitiesOf(scenario.findings),
        counter,
        faults,
      }),
    ]);
    stops.push(
      () => dynamodb.stop(),
      () => workloadSecurity.stop(),
    );
    mark("dynamodbAndWorkloadSecurity", t0);
    const inventory = new Inventory(scenario);
    const inspector2 = createInspectorEmulator({
      scenario,
      inventory,
      delegatedAdminAccountId: scenario.organization.hubAccountId,
      counter,
      faults,
    });
    const t1 = performance.now();
    const aws = await startAwsSandbox({
      scenario,
      counter,
      dynamodbEndpoint: dynamodb.endpoint,
      inspector2,
      ...(options.memberRoleName ? { memberRoleName: options.memberRoleName } : {}),
      ...(options.externalId ? { externalId: options.externalId } : {}),
    });
    stops.push(() => aws.stop());
    const signals = await createHubSignalRoute({
      motoEndpoint: aws.motoEndpoint,
      frontEndpoint: aws.endpoint,
      hubAccountId: scenario.organization.hubAccountId,
      managementAccountId: scenario.organization.managementAccountId,
      region: scenario.homeRegion,
      organization: hasOrganization(scenario),
    });
    mark("awsMotoAndSeed", t1);
    const inject = (request: InjectRequest) =>
      injectFindings(
        {
          motoEndpoint: aws.motoEndpoint,
          accountId: scenario.organization.hubAccountId,
          region: scenario.homeRegion,
          eventBusName: signals.eventBusName,
        },
        request,
      );
    // The control API serves the info object, which names the control API's own URL: fill it in once known.
    const described: { info?: SandboxInfo } = {};
    const advance = (raw: unknown) => applyStep(parseScenarioStep(raw), inventory, workloadSecurity);
    const control = await startControlServer({
      counter,
      faults,
      outbox: () => aws.outbox(),
      info: () => described.info,
      advanceHeartbeats: (ms) => workloadSecurity.advanceHeartbeats(ms),
      advance,
      injectFindings: inject,
    });
    stops.push(() => control.close());
    mark("total", started);
    const info = describe(scenario, aws, dynamodb.endpoint, workloadSecurity, control, timings, signals);
    described.info = info;
    return { info, counter, faults, aws, workloadSecurity, control, advance, injectFindings: inject, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** Every part of the step is checked before anything changes, so a bad step changes nothing. */
function applyStep(step: ScenarioStep, inventory: Inventory, ws: WorkloadSecuritySimulator): StepOutcome {
  const problems = [
    ...step.addFindings.filter((f) => inventory.hasFinding(f.findingArn)).map((f) => `finding ${f.findingArn} exists`),
    ...step.setFindingStatus
      .filter((c) => !inventory.hasFinding(c.findingArn))
      .map((c) => `no finding ${c.findingArn}`),
    ...step.addComputers
      .filter((c) => !ws.models.has(c.tenant) || ws.models.get(c.tenant)?.computers.has(c.id))
      .map((c) => `tenant ${c.tenant} does not exist or already has computer ${c.id}`),
    ...step.putRules.filter((r) => !ws.models.has(r.tenant)).map((r) => `tenant ${r.tenant} does not exist`),
  ];
  if (problems.length > 0) throw new Error(`the step changes nothing: ${problems.join("; ")}`);
  for (const finding of step.addFindings) inventory.addFinding(finding);
  for (const change of step.setFindingStatus) inventory.setFindingStatus(change.findingArn, change.status, step.at);
  for (const { tenant, ...computer } of step.addComputers) ws.models.get(tenant)?.addComputer(computer);
  for (const { tenant, ...rule } of step.putRules) ws.models.get(tenant)?.putRule(rule, Date.parse(step.at));
  return {
    at: step.at,
    findingsAdded: step.addFindings.length,
    findingStatusChanges: step.setFindingStatus.length,
    computersAdded: step.addComputers.length,
    rulesPut: step.putRules.length,
  };
}

function describe(
  scenario: Scenario,
  aws: AwsSandbox,
  dynamodbEndpoint: string,
  ws: WorkloadSecuritySimulator,
  control: ControlServer,
  startupMs: Record<string, number>,
  signals: HubSignalRoute,
): SandboxInfo {
  return {
    scenario: scenario.name,
    region: scenario.homeRegion,
    aws: {
      endpoint: aws.endpoint,
      hub: { ...aws.credentials.hub },
      management: { ...aws.credentials.management },
      organizationReadRoleArn: aws.organizationReadRoleArn,
      memberRole: aws.memberRole,
      sender: aws.sender,
      reportBucket: aws.reportBucket,
    },
    dynamodb: {
      endpoint: dynamodbEndpoint,
      note: "DynamoDB Local keeps one database per access key: through the AWS endpoint each account sees its own tables",
    },
    workloadSecurity: {
      url: ws.url,
      tenants: Object.fromEntries(
        scenario.workloadSecurity.tenants.map((t) => [
          t.name,
          { url: ws.url, apiKeySecret: aws.tenantSecrets[t.name] ?? "" },
        ]),
      ),
    },
    control: { url: control.url },
    signals,
    startupMs,
  };
}
