import { paginateDescribeInstances, type EC2Client, type Instance } from "@aws-sdk/client-ec2";
import { ERROR_CODES, WshubError, type CoveredInstance } from "@wshub/core";
import { countedPages } from "./paging.js";
import { awsErrorMessage, awsErrorName, isAccessDenied } from "./sdk-errors.js";

/** DescribeInstances answers up to 1,000 instances a page. */
export const INSTANCES_PAGE_SIZE = 1000;

/** Every state but `terminated`: a stopped instance without an agent is still one to report. */
const LIVE_STATES = ["pending", "running", "shutting-down", "stopping", "stopped"];

/**
 * One account's EC2 inventory in one region, read through that account's own credentials (the member role). It is
 * the authoritative list of instances (Inspector's coverage lists only what Inspector knows of), and it keeps
 * Inspector's request budget for findings.
 */
export class Ec2InstanceInventory {
  constructor(
    private readonly client: EC2Client,
    private readonly accountId: string,
    private readonly region: string,
  ) {}

  async *listInstances(): AsyncIterable<CoveredInstance[]> {
    const pages = paginateDescribeInstances(
      { client: this.client, pageSize: INSTANCES_PAGE_SIZE },
      { Filters: [{ Name: "instance-state-name", Values: LIVE_STATES }] },
    );
    for await (const page of countedPages(pages, (error) => this.failure(error)))
      yield (page.Reservations ?? []).flatMap((reservation) =>
        (reservation.Instances ?? []).flatMap((instance) => this.toCoveredInstance(instance, reservation.OwnerId)),
      );
  }

  private toCoveredInstance(instance: Instance, ownerId: string | undefined): CoveredInstance[] {
    if (!instance.InstanceId) return [];
    const covered: CoveredInstance = {
      accountId: ownerId ?? this.accountId,
      region: this.region,
      instanceId: instance.InstanceId,
    };
    const name = instance.Tags?.find((tag) => tag.Key === "Name")?.Value;
    if (name) covered.name = name;
    if (instance.State?.Name) covered.state = instance.State.Name;
    return [covered];
  }

  private failure(error: unknown): WshubError {
    const name = awsErrorName(error);
    const hint = isAccessDenied(error) ? " (does the member role allow ec2:DescribeInstances?)" : "";
    return new WshubError(
      ERROR_CODES.INVENTORY_UNAVAILABLE,
      `EC2 in ${this.region} for ${this.accountId}: ${name}: ${awsErrorMessage(error)}${hint}`,
      { accountId: this.accountId, region: this.region, awsError: name },
      { cause: error },
    );
  }
}
