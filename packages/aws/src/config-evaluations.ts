import {
  ConfigServiceClient,
  GetResourceConfigHistoryCommand,
  PutEvaluationsCommand,
  ResourceType,
  type ConfigurationItem,
} from "@aws-sdk/client-config-service";
import { EC2Client } from "@aws-sdk/client-ec2";
import {
  ERROR_CODES,
  WshubError,
  type ConfigAccess,
  type ConfigEvaluation,
  type ConfigEvaluationsApi,
  type ConfigItemRef,
  type CoveredInstance,
} from "@wshub/core";
import { clientSettings } from "./client-settings.js";
import { roleArnFor } from "./credentials.js";
import { Ec2InstanceInventory } from "./ec2.js";
import type { InspectorAccessOptions } from "./inspector.js";
import { awsErrorMessage, awsErrorName, isAccessDenied } from "./sdk-errors.js";

/**
 * AWS Config in one member account and region, through that account's member role: PutEvaluations (the role's only
 * Config write, `config:PutEvaluations`) and GetResourceConfigHistory for oversized configuration items.
 */
export class ConfigEvaluationsAdapter implements ConfigEvaluationsApi {
  readonly calls = { putEvaluations: 0, getResourceConfigHistory: 0 };

  constructor(
    private readonly client: ConfigServiceClient,
    private readonly inventory: Ec2InstanceInventory,
    private readonly where: { accountId: string; region: string },
  ) {}

  async put(resultToken: string, evaluations: readonly ConfigEvaluation[]): Promise<{ failedResourceIds: string[] }> {
    this.calls.putEvaluations++;
    const command = new PutEvaluationsCommand({ ResultToken: resultToken, Evaluations: evaluations.map(toWire) });
    const answer = await this.client.send(command).catch((error: unknown) => {
      throw this.failure("PutEvaluations", error);
    });
    return { failedResourceIds: (answer.FailedEvaluations ?? []).flatMap((e) => e.ComplianceResourceId ?? []) };
  }

  async configurationItem(resource: {
    resourceType: string;
    resourceId: string;
    laterTime: string;
  }): Promise<ConfigItemRef> {
    this.calls.getResourceConfigHistory++;
    const command = new GetResourceConfigHistoryCommand({
      resourceType: resourceTypeOf(resource.resourceType),
      resourceId: resource.resourceId,
      laterTime: new Date(resource.laterTime),
      limit: 1,
    });
    const answer = await this.client.send(command).catch((error: unknown) => {
      throw this.failure("GetResourceConfigHistory", error);
    });
    const item = answer.configurationItems?.[0];
    if (!item) throw this.failure("GetResourceConfigHistory", new Error(`no item for ${resource.resourceId}`));
    return itemRef(item, this.where);
  }

  listInstances(): AsyncIterable<CoveredInstance[]> {
    return this.inventory.listInstances();
  }

  private failure(operation: string, error: unknown): WshubError {
    const name = awsErrorName(error);
    const hint = isAccessDenied(error) ? " (does the member role allow config:PutEvaluations?)" : "";
    return new WshubError(
      ERROR_CODES.CONFIG_EVALUATIONS_FAILED,
      `Config ${operation} in ${this.where.region} for ${this.where.accountId}: ${name}: ${awsErrorMessage(error)}${hint}`,
      { ...this.where, operation, awsError: name },
      { cause: error },
    );
  }
}

function resourceTypeOf(name: string): ResourceType {
  const known = Object.values(ResourceType).find((type) => type === name);
  if (known === undefined) throw new WshubError(ERROR_CODES.CONFIG_INVOCATION_INVALID, `unknown resource type ${name}`);
  return known;
}

function toWire(evaluation: ConfigEvaluation) {
  return {
    ComplianceResourceType: evaluation.resourceType,
    ComplianceResourceId: evaluation.resourceId,
    ComplianceType: evaluation.compliance,
    Annotation: evaluation.annotation,
    OrderingTimestamp: new Date(evaluation.orderingTimestamp),
  };
}

function itemRef(item: ConfigurationItem, where: { accountId: string; region: string }): ConfigItemRef {
  const ref: ConfigItemRef = {
    resourceType: item.resourceType ?? "",
    resourceId: item.resourceId ?? "",
    status: item.configurationItemStatus ?? "OK",
    captureTime: item.configurationItemCaptureTime?.toISOString() ?? "",
    accountId: item.accountId ?? where.accountId,
    region: item.awsRegion ?? where.region,
  };
  const state = instanceStateOf(item.configuration);
  if (state !== undefined) ref.instanceState = state;
  return ref;
}

/** `configuration` is the resource's JSON as a string. */
function instanceStateOf(configuration: string | undefined): string | undefined {
  try {
    const parsed: unknown = JSON.parse(configuration ?? "null");
    const state = typeof parsed === "object" && parsed !== null ? Reflect.get(parsed, "state") : undefined;
    const name = typeof state === "object" && state !== null ? Reflect.get(state, "name") : undefined;
    return typeof name === "string" ? name : undefined;
  } catch {
    return undefined;
  }
}

/** Config (and EC2, for periodic runs) of each member account, through its member role. */
export class MemberRoleConfigAccess implements ConfigAccess {
  constructor(
    private readonly options: InspectorAccessOptions,
    private readonly role: { name: string; externalId: string; sessionSeconds?: number | undefined },
  ) {}

  async forAccount(accountId: string, region: string): Promise<ConfigEvaluationsApi> {
    const request = {
      roleArn: roleArnFor(accountId, this.role.name),
      externalId: this.role.externalId,
      durationSeconds: this.role.sessionSeconds ?? 3600,
    };
    await this.options.credentials.credentials(request);
    const settings = { ...this.options.settings, region, credentials: this.options.credentials.provider(request) };
    return new ConfigEvaluationsAdapter(
      new ConfigServiceClient(clientSettings("config", settings)),
      new Ec2InstanceInventory(new EC2Client(clientSettings("ec2", settings)), accountId, region),
      { accountId, region },
    );
  }
}
