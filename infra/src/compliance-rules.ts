import { Duration, Stack } from "aws-cdk-lib";
import { Alarm, ComparisonOperator, TreatMissingData } from "aws-cdk-lib/aws-cloudwatch";
import { CfnOrganizationConfigRule } from "aws-cdk-lib/aws-config";
import { Effect, PolicyStatement } from "aws-cdk-lib/aws-iam";
import { CfnPermission } from "aws-cdk-lib/aws-lambda";
import { parseRuleParameters } from "@wshub/core";
import { Construct } from "constructs";
import type { Deployment } from "./deployment.js";
import type { WshubFunction } from "./functions.js";

/** Config's trigger types for an organization custom Lambda rule: on change (also oversized) and periodic. */
export const COMPLIANCE_TRIGGERS = [
  "ConfigurationItemChangeNotification",
  "OversizedConfigurationItemChangeNotification",
  "ScheduledNotification",
];

export interface ComplianceRulesProps {
  fn: WshubFunction;
  compliance?: Deployment["compliance"];
  memberRoleName: string | undefined;
}

/**
 * The AWS Config organization rules (deployed from the hub account as Config's delegated administrator): custom
 * Lambda rules on AWS::EC2::Instance, each with its InputParameters, all invoking the hub's config-rule function.
 * Config in the member accounts may invoke it; the function assumes the member role to put evaluations.
 */
export class ComplianceRules extends Construct {
  readonly errorsAlarm: Alarm;

  constructor(scope: Construct, id: string, props: ComplianceRulesProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const lambda = props.fn.function;
    // Config invokes from each member account (accounts join over time), so the source is any Config rule ARN; the
    // function itself puts nothing for an account outside the organization's mapped tenants.
    const permission = new CfnPermission(this, "ConfigInvoke", {
      functionName: lambda.functionArn,
      principal: "config.amazonaws.com",
      action: "lambda:InvokeFunction",
      sourceArn: `arn:${stack.partition}:config:*:*:config-rule/*`,
    });
    // cfn-lint's ARN pattern has no wildcards; Lambda matches SourceArn with ArnLike, where they are valid.
    permission.addMetadata("cfn-lint", { config: { ignore_checks: ["W1032"] } });
    if (props.memberRoleName)
      props.fn.role.addToPrincipalPolicy(
        new PolicyStatement({
          effect: Effect.ALLOW,
          actions: ["sts:AssumeRole"],
          resources: [`arn:${stack.partition}:iam::*:role/${props.memberRoleName}`],
        }),
      );
    const compliance = props.compliance ?? { rules: [], excludedAccounts: [], maximumExecutionFrequency: undefined };
    for (const rule of compliance.rules) {
      const inputParameters = JSON.stringify(rule.parameters);
      // A rule whose parameters the function would refuse fails synth, not every evaluation.
      parseRuleParameters(inputParameters);
      new CfnOrganizationConfigRule(this, `Rule-${rule.name}`, {
        organizationConfigRuleName: rule.name,
        excludedAccounts: compliance.excludedAccounts,
        organizationCustomRuleMetadata: {
          lambdaFunctionArn: lambda.functionArn,
          organizationConfigRuleTriggerTypes: COMPLIANCE_TRIGGERS,
          maximumExecutionFrequency: compliance.maximumExecutionFrequency,
          resourceTypesScope: ["AWS::EC2::Instance"],
          inputParameters,
          description: `wshub: ${String(rule.parameters["rule"])} against Workload Security`,
        },
      });
    }
    // A Workload Security outage throws (nothing is put): the function's errors are the compliance failures.
    this.errorsAlarm = new Alarm(this, "ComplianceFailuresAlarm", {
      alarmDescription: "wshub could not evaluate AWS Config rules (Workload Security or Config unavailable)",
      metric: lambda.metricErrors({ period: Duration.minutes(15) }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }
}
