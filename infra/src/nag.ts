import { Validations, type CfnResource, type Stack } from "aws-cdk-lib";
import type { Construct } from "constructs";
import type { HubStack } from "./hub-stack.js";

/**
 * cdk-nag AwsSolutions findings we accept, each with its reason (cdk-nag 3 acknowledges findings one by one).
 * Anything not listed fails `cdk synth`.
 */
export function acknowledgeFindings(hub: HubStack, ...memberStacks: Stack[]): void {
  const ack = (scope: Construct, finding: string, reason: string) =>
    Validations.of(scope).acknowledge({ id: `AwsSolutions::${finding}`, reason });
  const arnOf = (construct: Construct) => `<${hub.getLogicalId(construct.node.defaultChild as CfnResource)}.Arn>`;

  for (const [name, fn] of Object.entries(hub.functions)) {
    const logs = fn.node.findChild("Logs");
    ack(
      hub,
      `AwsSolutions-IAM5[Resource::${arnOf(logs)}:*]`,
      `${name} writes the log streams of its own log group only.`,
    );
    ack(
      hub,
      `AwsSolutions-IAM5[Resource::${arnOf(fn.function)}:*]`,
      `The state machine invokes any version of the ${name} function (CDK's grant for LambdaInvoke).`,
    );
  }
  if (hub.reactions) {
    const { react, table } = hub.reactions;
    ack(
      hub,
      `AwsSolutions-IAM5[Resource::${arnOf(react.node.findChild("Logs"))}:*]`,
      "react writes the log streams of its own log group only.",
    );
    ack(
      hub,
      `AwsSolutions-IAM5[Resource::${arnOf(table)}/index/*]`,
      "CDK's table grant names the signal table's indexes (it has none).",
    );
  }
  ack(
    hub,
    `AwsSolutions-IAM5[Resource::${arnOf(hub.tables.findings)}/index/*]`,
    "CDK's table grant names the findings table's indexes (it has none).",
  );
  for (const table of [hub.tables.runs, hub.tables.audit])
    ack(hub, `AwsSolutions-IAM5[Resource::${arnOf(table)}/index/*]`, "Queries use the table's own secondary indexes.");
  ack(
    hub,
    `AwsSolutions-IAM5[Resource::${arnOf(hub.reports)}/reports/*]`,
    "Report files are written and presigned under the reports/ prefix of the hub's own bucket.",
  );
  if (hub.archive) {
    const { bucket, prefix } = hub.archive.location;
    ack(
      hub,
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::${bucket}/${prefix}/*]`,
      "The archive writes one object per run and account under its prefix of the customer's bucket (new keys every run).",
    );
  }
  ack(hub, "AwsSolutions-IAM5[Action::kms:GenerateDataKey*]", "CDK's encrypt/decrypt grant on the stack's own key.");
  ack(hub, "AwsSolutions-IAM5[Action::kms:ReEncrypt*]", "CDK's encrypt/decrypt grant on the stack's own key.");
  ack(
    hub,
    "AwsSolutions-IAM5[Resource::*]",
    "Inspector ListFindings/ListCoverage (delegated-administrator and single-account modes), EC2 DescribeInstances (single-account mode) and X-Ray tracing do not support resource-level permissions.",
  );
  if (hub.memberRoleName)
    ack(
      hub,
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::*:role/${hub.memberRoleName}]`,
      "The collector assumes the member role in every account of the organization; accounts join over time, and each role trusts only this collector with the external id.",
    );
  if (hub.wafWriteRoleName)
    ack(
      hub,
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::*:role/${hub.wafWriteRoleName}]`,
      "With waf.mode apply, the assign step assumes the WAF write role in the accounts waf.allowAccounts names (the guard rail checks them before any change).",
    );
  const execution = `arn:<AWS::Partition>:states:${hub.region}:${hub.account}:execution:{"Fn::Select":[6,{"Fn::Split":[":",{"Ref":"${hub.getLogicalId(hub.machine.stateMachine.node.defaultChild as CfnResource)}"}]}]}`;
  for (const suffix of [":*", "/collect:*", "/evaluate:*", "/report:*"])
    ack(
      hub,
      `AwsSolutions-IAM5[Resource::${execution}${suffix}]`,
      "The distributed maps manage their own child executions (CDK's grant).",
    );
  ack(
    hub,
    "AwsSolutions-SMG4",
    "Tenant secrets hold Workload Security API keys issued in the vendor console; they are rotated there, not by a Lambda rotation function.",
  );
  ack(hub, "AwsSolutions-SQS3", "This queue is itself the dead-letter queue of the weekly schedule.");
  ack(
    hub,
    "AwsSolutions-S1",
    "The access-log bucket does not log its own accesses (that would recurse); the reports bucket logs to it.",
  );
  for (const stack of memberStacks) {
    ack(
      stack,
      "AwsSolutions-IAM5[Resource::*]",
      "Inspector and Organizations list calls, EC2 DescribeInstances, the ELB and CloudFront describe/list calls and WAF's ListWebACLs, GetWebACLForResource and ListAvailableManagedRuleGroups do not support resource-level permissions; the roles are read-only and trusted by the hub's roles.",
    );
  }
}
