import { GetCallerIdentityCommand, type STSClient } from "@aws-sdk/client-sts";
import type { CallerIdentity } from "@wshub/core";

export async function callerIdentity(sts: STSClient): Promise<CallerIdentity> {
  const answer = await sts.send(new GetCallerIdentityCommand({}));
  return { accountId: answer.Account ?? "unknown", arn: answer.Arn ?? "unknown" };
}
