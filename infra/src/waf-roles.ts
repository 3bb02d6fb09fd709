import { CfnCondition, CfnParameter, Fn, Token, Validations, type Stack } from "aws-cdk-lib";
import { ArnPrincipal, CfnRole, Effect, PolicyDocument, PolicyStatement, Role } from "aws-cdk-lib/aws-iam";

/**
 * WAF coverage reads in a member account (docs/integrations.md, WAF): the ALBs, their target groups and targets, the
 * CloudFront distributions with their origins and WebACL ids, the WebACLs, and the managed rule group catalogue.
 */
export const MEMBER_WAF_READ_ACTIONS = [
  "elasticloadbalancing:DescribeLoadBalancers",
  "elasticloadbalancing:DescribeTargetGroups",
  "elasticloadbalancing:DescribeTargetHealth",
  "cloudfront:ListDistributions",
  "cloudfront:GetDistribution",
  "cloudfront:GetDistributionConfig",
  "wafv2:GetWebACL",
  "wafv2:GetWebACLForResource",
  "wafv2:ListWebACLs",
  "wafv2:ListResourcesForWebACL",
  "wafv2:ListAvailableManagedRuleGroups",
];

/** The WAF write role may read a WebACL (for its lock token) and update it; nothing else. */
export const WAF_WRITE_ACTIONS = ["wafv2:GetWebACL", "wafv2:UpdateWebACL"];

/** The hub configuration's default `waf.writeRoleName`. */
export const DEFAULT_WAF_WRITE_ROLE_NAME = "wshub-waf-writer";

export interface WafWriteRoleDefaults {
  /** Deploy the write role (the deployment chose `waf.mode: apply`). */
  enabled: boolean;
  roleName: string;
}

/** The WAF read statement of the member role (the actions do not support resource-level permissions for listing). */
export function wafReadPolicy(): PolicyDocument {
  return new PolicyDocument({
    statements: [new PolicyStatement({ effect: Effect.ALLOW, actions: MEMBER_WAF_READ_ACTIONS, resources: ["*"] })],
  });
}

/**
 * The separate WAF write role, created only when the `WafWriteRole` parameter is "true" (the StackSet passes the
 * deployment's choice): wafv2:GetWebACL and UpdateWebACL on the account's WebACLs, trusted by the hub's roles that
 * reach member accounts, with the same external id as the member role.
 */
export function addWafWriteRole(
  stack: Stack,
  props: { hubAccountId: string; trustedRoleArns: string[]; externalId: string; defaults?: WafWriteRoleDefaults },
): void {
  const enabled = new CfnParameter(stack, "WafWriteRole", {
    type: "String",
    allowedValues: ["true", "false"],
    default: props.defaults?.enabled ? "true" : "false",
    description: "Deploy the WAF write role (only when the hub's WAF mode is apply)",
  });
  const roleName = new CfnParameter(stack, "WafWriteRoleName", {
    type: "String",
    default: props.defaults?.roleName ?? DEFAULT_WAF_WRITE_ROLE_NAME,
    description: "Name of the WAF write role",
  });
  const condition = new CfnCondition(stack, "WafWriteRoleChosen", {
    expression: Fn.conditionEquals(enabled.valueAsString, "true"),
  });
  const role = new Role(stack, "WafWriteRoleResource", {
    roleName: roleName.valueAsString,
    description: "wshub hub adds AWS managed rule groups (count mode) to this account's WebACLs",
    assumedBy: new ArnPrincipal(`arn:${stack.partition}:iam::${props.hubAccountId}:root`).withConditions({
      StringEquals: { "sts:ExternalId": props.externalId },
      ArnEquals: { "aws:PrincipalArn": props.trustedRoleArns },
    }),
    inlinePolicies: {
      WebAclUpdates: new PolicyDocument({
        statements: [
          new PolicyStatement({
            effect: Effect.ALLOW,
            actions: WAF_WRITE_ACTIONS,
            // Regional and CloudFront (global) WebACLs of this account only.
            resources: [`arn:${stack.partition}:wafv2:*:${stack.account}:*/webacl/*/*`],
          }),
        ],
      }),
    },
  });
  const resource = role.node.defaultChild;
  if (resource instanceof CfnRole) resource.cfnOptions.condition = condition;
  // cdk-nag names the account as synthesized: a literal in the management account's stack, a token in the template.
  const account = Token.isUnresolved(stack.account) ? "<AWS::AccountId>" : stack.account;
  Validations.of(stack).acknowledge({
    id: `AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:wafv2:*:${account}:*/webacl/*/*]`,
    reason: "The WAF write role (apply mode only) updates this account's own WebACLs, regional and CloudFront.",
  });
}
