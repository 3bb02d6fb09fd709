import type { Stack } from "aws-cdk-lib";
import { Effect, PolicyStatement, type IRole } from "aws-cdk-lib/aws-iam";

/** The audit table only grows: conditional puts (TransactWriteItems uses PutItem permission) and queries. */
export function grantAudit(role: IRole, tableArn: string): void {
  role.addToPrincipalPolicy(
    new PolicyStatement({
      effect: Effect.ALLOW,
      actions: ["dynamodb:PutItem", "dynamodb:ConditionCheckItem", "dynamodb:Query", "dynamodb:GetItem"],
      resources: [tableArn, `${tableArn}/index/*`],
    }),
  );
}

/** SES sending, scoped to the sender's identity (the address and its domain, whichever is verified). */
export function grantSend(role: IRole, stack: Stack, sender: string): void {
  const domain = sender.split("@")[1] ?? sender;
  const identity = (name: string) => `arn:${stack.partition}:ses:${stack.region}:${stack.account}:identity/${name}`;
  role.addToPrincipalPolicy(
    new PolicyStatement({
      effect: Effect.ALLOW,
      actions: ["ses:SendEmail", "ses:SendRawEmail"],
      resources: [identity(sender), identity(domain)],
    }),
  );
}
