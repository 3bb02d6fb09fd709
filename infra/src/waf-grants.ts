import { Token, Validations, type Stack } from "aws-cdk-lib";
import { Effect, PolicyStatement, type IRole } from "aws-cdk-lib/aws-iam";
import type { Deployment } from "./deployment.js";
import { DEFAULT_WAF_WRITE_ROLE_NAME, MEMBER_WAF_READ_ACTIONS, WAF_WRITE_ACTIONS } from "./waf-roles.js";

/**
 * The WAF write role of the deployment: deployed when the hub configuration's `waf.mode` is `apply`, named by its
 * `waf.writeRoleName` (the same defaults as the configuration schema: recommend, wshub-waf-writer).
 */
export function wafWriteRoleOf(d: Deployment): { enabled: boolean; roleName: string } {
  const waf = d.hub["waf"];
  const fields: object = typeof waf === "object" && waf !== null ? waf : {};
  const mode = "mode" in fields ? fields.mode : undefined;
  const name = "writeRoleName" in fields ? fields.writeRoleName : undefined;
  return { enabled: mode === "apply", roleName: typeof name === "string" ? name : DEFAULT_WAF_WRITE_ROLE_NAME };
}

/**
 * What the hub role that reaches member accounts (the collector) needs for WAF coverage: in organization mode, to
 * assume the WAF write role when apply is chosen (reads go through the member role it already assumes); in
 * single-account mode, the reads themselves, and the WebACL update when apply is chosen.
 */
export function grantWafAccess(stack: Stack, collector: IRole, d: Deployment): void {
  const allow = (actions: string[], resources: string[]) =>
    collector.addToPrincipalPolicy(new PolicyStatement({ effect: Effect.ALLOW, actions, resources }));
  const writer = wafWriteRoleOf(d);
  if (d.mode === "single-account") {
    allow(MEMBER_WAF_READ_ACTIONS, ["*"]);
    if (!writer.enabled) return;
    allow(WAF_WRITE_ACTIONS, [`arn:${stack.partition}:wafv2:*:${stack.account}:*/webacl/*/*`]);
    Validations.of(stack).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:wafv2:*:${Token.isUnresolved(stack.account) ? "<AWS::AccountId>" : stack.account}:*/webacl/*/*]`,
      reason: "WAF apply updates the account's own WebACLs, regional and CloudFront, whichever the inventory names.",
    });
    return;
  }
  if (!writer.enabled) return;
  allow(["sts:AssumeRole"], [`arn:${stack.partition}:iam::*:role/${writer.roleName}`]);
  // Acknowledged here, where the grant is made (cdk-nag fails synth on anything not acknowledged).
  Validations.of(stack).acknowledge({
    id: `AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::*:role/${writer.roleName}]`,
    reason:
      "The collector assumes the WAF write role in every account of the organization (apply mode); each role trusts only this collector with the external id and may only read and update WebACLs.",
  });
}
