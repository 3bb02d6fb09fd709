import type { CallCounter } from "../control/stats.js";
import type { Scenario } from "../scenario/types.js";
import { ConfigStore } from "./config/store.js";
import { startAwsFront } from "./front.js";
import { startMotoServer } from "./moto-server.js";
import { seedAws, type SeedAwsResult } from "./seed/seed.js";
import type { AwsCredentials, CapturedEmail, InspectorHandler } from "./types.js";

export interface AwsSandboxOptions {
  scenario: Scenario;
  counter: CallCounter;
  dynamodbEndpoint: string;
  inspector2: InspectorHandler;
  memberRoleName?: string;
  externalId?: string;
  orgReadRoleName?: string;
  sender?: string;
  /** Parallel seeding calls (default 4). */
  seedConcurrency?: number;
}

export interface AwsSandbox {
  /** The front: "http://127.0.0.1:<port>", for every AWS service. */
  endpoint: string;
  /** scenario.homeRegion */
  region: string;
  credentials: {
    hub: AwsCredentials & { accountId: string; arn: string };
    management: AwsCredentials & { accountId: string; arn: string };
  };
  memberRole: { name: string; externalId: string };
  organizationReadRoleArn: string;
  sender: string;
  /** Tenant name → secret name (`wshub/tenants/<tenant>`), in the hub account and home region. */
  tenantSecrets: Record<string, string>;
  reportBucket: string;
  outbox(): CapturedEmail[];
  /** AWS Config as the front emulates it: evaluations put, result tokens, recorded items. */
  config: ConfigStore;
  /** moto itself, behind the front (for debugging; calls made there are not counted or checked). */
  motoEndpoint: string;
  /** Milliseconds: moto start-up, seeding phases, front start-up. */
  timingsMs: { motoStart: number; seed: SeedAwsResult["timingsMs"]; total: number };
  /** Stops the front and moto; no process is left behind. */
  stop(): Promise<void>;
}

/** moto (through the launcher), seeded from the scenario, behind the AWS front. */
export async function startAwsSandbox(options: AwsSandboxOptions): Promise<AwsSandbox> {
  const started = performance.now();
  const moto = await startMotoServer();
  const motoStart = Math.round(performance.now() - started);
  try {
    const seeded = await seedAws(options.scenario, {
      motoEndpoint: moto.endpoint,
      ...(options.memberRoleName === undefined ? {} : { memberRoleName: options.memberRoleName }),
      ...(options.externalId === undefined ? {} : { externalId: options.externalId }),
      ...(options.orgReadRoleName === undefined ? {} : { orgReadRoleName: options.orgReadRoleName }),
      ...(options.sender === undefined ? {} : { sender: options.sender }),
      ...(options.seedConcurrency === undefined ? {} : { concurrency: options.seedConcurrency }),
    });
    const config = new ConfigStore();
    const front = await startAwsFront({
      config,
      motoEndpoint: moto.endpoint,
      dynamodbEndpoint: options.dynamodbEndpoint,
      inspector2: options.inspector2,
      counter: options.counter,
    });
    return {
      endpoint: front.endpoint,
      region: options.scenario.homeRegion,
      credentials: seeded.credentials,
      memberRole: seeded.memberRole,
      organizationReadRoleArn: seeded.organizationReadRoleArn,
      sender: seeded.sender,
      tenantSecrets: seeded.tenantSecrets,
      reportBucket: seeded.reportBucket,
      outbox: () => front.outbox(),
      config,
      motoEndpoint: moto.endpoint,
      timingsMs: { motoStart, seed: seeded.timingsMs, total: Math.round(performance.now() - started) },
      stop: async () => {
        await front.close();
        await moto.stop();
      },
    };
  } catch (error) {
    await moto.stop();
    throw error;
  }
}
