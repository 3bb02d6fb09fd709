import { BatchImportFindingsCommand, type SecurityHubClient } from "@aws-sdk/client-securityhub";
import { ERROR_CODES, WshubError, type ExportChange, type SecurityHubPublisher } from "@wshub/core";
import { toAsff, type AsffTarget } from "./asff.js";
import { awsErrorMessage, awsErrorName } from "./sdk-errors.js";

/** BatchImportFindings takes at most 100 findings a call. */
const FINDINGS_PER_CALL = 100;

/**
 * Imports wshub's findings into the hub account's Security Hub. The target (account, partition) is resolved once,
 * from the caller's identity; the SDK client retries throttling.
 */
export class SecurityHubAdapter implements SecurityHubPublisher {
  private target: Promise<AsffTarget> | undefined;

  constructor(
    private readonly client: SecurityHubClient,
    private readonly region: string,
    private readonly caller: () => Promise<{ accountId: string; arn: string }>,
    private readonly clock: { now(): Date } = { now: () => new Date() },
  ) {}

  async publish(
    changes: readonly ExportChange[],
  ): Promise<{ failed: { key: string; message: string }[]; calls: number }> {
    const target = await this.resolveTarget();
    const now = this.clock.now().toISOString();
    const failed: { key: string; message: string }[] = [];
    let calls = 0;
    for (let i = 0; i < changes.length; i += FINDINGS_PER_CALL) {
      const findings = changes.slice(i, i + FINDINGS_PER_CALL).map((change) => toAsff(change, target, now));
      calls++;
      try {
        const answer = await this.client.send(new BatchImportFindingsCommand({ Findings: findings }));
        for (const refused of answer.FailedFindings ?? [])
          failed.push({
            key: refused.Id ?? "",
            message: `${refused.ErrorCode ?? "error"}: ${refused.ErrorMessage ?? ""}`,
          });
      } catch (error) {
        throw new WshubError(
          ERROR_CODES.EXPORT_FAILED,
          `Security Hub BatchImportFindings in ${this.region} failed: ${awsErrorName(error)}: ${awsErrorMessage(error)}`,
          { region: this.region },
          { cause: error },
        );
      }
    }
    return { failed, calls };
  }

  private resolveTarget(): Promise<AsffTarget> {
    this.target ??= this.caller().then((identity) => ({
      accountId: identity.accountId,
      region: this.region,
      partition: identity.arn.split(":")[1] || "aws",
    }));
    return this.target;
  }
}
