import { CfnParameter, Stack, type StackProps } from "aws-cdk-lib";
import { ArnPrincipal, Effect, PolicyDocument, PolicyStatement, Role } from "aws-cdk-lib/aws-iam";
import type { Construct } from "constructs";
import { addWafWriteRole, wafReadPolicy, type WafWriteRoleDefaults } from "./waf-roles.js";

/** Exactly what collection calls in a member account: findings from Inspector, the instance inventory from EC2. */
export const MEMBER_ROLE_ACTIONS = ["inspector2:ListFindings", "ec2:DescribeInstances"];

/**
 * AWS Config compliance rules: the one Config write (evaluations for the invocation's result token) and the read of an
 * oversized configuration item.
 */
export const MEMBER_COMPLIANCE_ACTIONS = ["config:PutEvaluations", "config:GetResourceConfigHistory"];

/** Reactions to Macie findings: the account's IAM policies (read once, matched locally) and a bucket's policy. */
export const MEMBER_SIGNAL_ACTIONS = ["iam:GetAccountAuthorizationDetails", "s3:GetBucketPolicy"];

/**
 * The member role, as a flat template (no nested stacks, no assets: service-managed StackSets need that), deployed
 * by the StackSet to every account of the chosen OUs. Trusted only by the hub's collector role, and only with the
 * external id.
 */
export interface MemberRoleDefaults {
  roleName: string;
  hubAccountId: string;
  collectorRoleArn: string;
  complianceRoleArn: string;
  reactorRoleArn: string;
  evaluatorRoleArn: string;
  assignerRoleArn: string;
  externalId: string;
  /** The WAF write role next to it (deployed when the deployment's WAF mode is apply). */
  wafWriteRole?: WafWriteRoleDefaults;
}

export class MemberRoleStack extends Stack {
  /** `defaults` make the template deployable without parameters (the management account's plain stack). */
  constructor(scope: Construct, id: string, props: StackProps & { defaults?: MemberRoleDefaults } = {}) {
    super(scope, id, {
      ...props,
      description: "wshub member role: read-only Inspector findings and EC2 inventory for the wshub hub",
    });
    const d = props.defaults;
    const roleName = new CfnParameter(this, "RoleName", {
      type: "String",
      default: d?.roleName ?? "wshub-member-read",
      description: "Name of the member role",
    });
    const hubAccountId = new CfnParameter(this, "HubAccountId", {
      type: "String",
      allowedPattern: "^\\d{12}$",
      description: "The wshub hub account",
      ...(d ? { default: d.hubAccountId } : {}),
    });
    const collectorRoleArn = new CfnParameter(this, "HubCollectorRoleArn", {
      type: "String",
      description: "The hub role allowed to assume this one",
      ...(d ? { default: d.collectorRoleArn } : {}),
    });
    const complianceRoleArn = new CfnParameter(this, "HubComplianceRoleArn", {
      type: "String",
      description: "The hub role (AWS Config rules) allowed to assume this one and put evaluations",
      ...(d ? { default: d.complianceRoleArn } : {}),
    });
    const reactorRoleArn = new CfnParameter(this, "HubReactorRoleArn", {
      type: "String",
      description: "The hub role (reactions to security findings) allowed to assume this one",
      ...(d ? { default: d.reactorRoleArn } : {}),
    });
    const evaluatorRoleArn = new CfnParameter(this, "HubEvaluatorRoleArn", {
      type: "String",
      description: "The hub role (WAF check, read-only) allowed to assume this one",
      ...(d ? { default: d.evaluatorRoleArn } : {}),
    });
    const assignerRoleArn = new CfnParameter(this, "HubAssignerRoleArn", {
      type: "String",
      description: "The hub role (IPS assignment and the WAF apply) allowed to assume the WAF write role",
      ...(d ? { default: d.assignerRoleArn } : {}),
    });
    const externalId = new CfnParameter(this, "ExternalId", {
      type: "String",
      minLength: 2,
      noEcho: true,
      description: "External id the hub presents",
      ...(d ? { default: d.externalId } : {}),
    });

    new Role(this, "MemberRole", {
      roleName: roleName.valueAsString,
      description: "wshub hub reads Amazon Inspector findings and the EC2 instances of this account",
      assumedBy: new ArnPrincipal(`arn:${this.partition}:iam::${hubAccountId.valueAsString}:root`).withConditions({
        StringEquals: { "sts:ExternalId": externalId.valueAsString },
        ArnEquals: {
          "aws:PrincipalArn": [
            collectorRoleArn.valueAsString,
            complianceRoleArn.valueAsString,
            reactorRoleArn.valueAsString,
            evaluatorRoleArn.valueAsString,
          ],
        },
      }),
      inlinePolicies: {
        CollectionRead: new PolicyDocument({
          statements: [
            new PolicyStatement({
              effect: Effect.ALLOW,
              actions: MEMBER_ROLE_ACTIONS,
              // Neither Inspector's list operations nor DescribeInstances support resource-level permissions.
              resources: ["*"],
            }),
          ],
        }),
        ComplianceEvaluations: new PolicyDocument({
          statements: [
            // PutEvaluations and GetResourceConfigHistory do not support resource-level permissions.
            new PolicyStatement({ effect: Effect.ALLOW, actions: MEMBER_COMPLIANCE_ACTIONS, resources: ["*"] }),
          ],
        }),
        // The ELB, CloudFront and WAFv2 list and describe calls read whichever resources the account has.
        WafRead: wafReadPolicy(),
        SignalReads: new PolicyDocument({
          statements: [
            // The bucket a Macie finding names is any bucket of the account; IAM's read has no resource level.
            new PolicyStatement({ effect: Effect.ALLOW, actions: MEMBER_SIGNAL_ACTIONS, resources: ["*"] }),
          ],
        }),
      },
    });
    // Apply mode only: the run adds rule groups to WebACLs through this role, never through the read role.
    addWafWriteRole(this, {
      hubAccountId: hubAccountId.valueAsString,
      trustedRoleArns: [assignerRoleArn.valueAsString],
      externalId: externalId.valueAsString,
      ...(d?.wafWriteRole ? { defaults: d.wafWriteRole } : {}),
    });
  }
}
