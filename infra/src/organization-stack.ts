import { Stack, type StackProps } from "aws-cdk-lib";
import { CfnStackSet } from "aws-cdk-lib/aws-cloudformation";
import { ArnPrincipal, Effect, PolicyDocument, PolicyStatement, Role } from "aws-cdk-lib/aws-iam";
import type { Construct } from "constructs";

/** What listing the organization needs (OUs, accounts per parent, tags). */
export const ORGANIZATION_READ_ACTIONS = [
  "organizations:DescribeOrganization",
  "organizations:ListRoots",
  "organizations:ListOrganizationalUnitsForParent",
  "organizations:ListAccountsForParent",
  "organizations:ListTagsForResource",
];

export interface OrganizationStackProps extends StackProps {
  prefix: string;
  hubAccountId: string;
  /** The member template (synthesized MemberRoleStack). */
  memberTemplate: unknown;
  memberRoleName: string;
  externalId: string;
  collectorRoleArn: string;
  complianceRoleArn: string;
  reactorRoleArn: string;
  evaluatorRoleArn: string;
  assignerRoleArn: string;
  organizerRoleArn: string;
  organizationReadRoleName: string;
  /** Whether the StackSet deploys the WAF write role next to the member role (WAF apply), and its name. */
  wafWriteRole: { enabled: boolean; roleName: string };
  targetOrganizationalUnits: string[];
  /** IAM is global: one region is enough for the role. */
  region: string;
}

/**
 * In the management account: the service-managed StackSet that puts the member role into every account of the chosen
 * OUs (and into new accounts as they join, auto-deployment), and the role the hub uses to list the organization.
 */
export class OrganizationStack extends Stack {
  constructor(scope: Construct, id: string, props: OrganizationStackProps) {
    super(scope, id, {
      ...props,
      description: "wshub organization resources: member-role StackSet and organization read role",
    });

    new Role(this, "OrganizationReadRole", {
      roleName: props.organizationReadRoleName,
      description: "wshub hub lists the organization's OUs, accounts and tags",
      assumedBy: new ArnPrincipal(`arn:${this.partition}:iam::${props.hubAccountId}:root`).withConditions({
        ArnEquals: { "aws:PrincipalArn": props.organizerRoleArn },
      }),
      inlinePolicies: {
        OrganizationRead: new PolicyDocument({
          // Organizations' list and describe calls do not support resource-level permissions.
          statements: [
            new PolicyStatement({ effect: Effect.ALLOW, actions: ORGANIZATION_READ_ACTIONS, resources: ["*"] }),
          ],
        }),
      },
    });

    new CfnStackSet(this, "MemberRoleStackSet", {
      stackSetName: `${props.prefix}-member-role`,
      description: "wshub member role in every member account of the chosen OUs",
      permissionModel: "SERVICE_MANAGED",
      autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
      capabilities: ["CAPABILITY_NAMED_IAM"],
      managedExecution: { Active: true },
      operationPreferences: {
        failureTolerancePercentage: 10,
        maxConcurrentPercentage: 25,
        regionConcurrencyType: "PARALLEL",
      },
      templateBody: JSON.stringify(props.memberTemplate),
      parameters: [
        { parameterKey: "RoleName", parameterValue: props.memberRoleName },
        { parameterKey: "HubAccountId", parameterValue: props.hubAccountId },
        { parameterKey: "HubCollectorRoleArn", parameterValue: props.collectorRoleArn },
        { parameterKey: "HubComplianceRoleArn", parameterValue: props.complianceRoleArn },
        { parameterKey: "HubReactorRoleArn", parameterValue: props.reactorRoleArn },
        { parameterKey: "HubEvaluatorRoleArn", parameterValue: props.evaluatorRoleArn },
        { parameterKey: "HubAssignerRoleArn", parameterValue: props.assignerRoleArn },
        { parameterKey: "ExternalId", parameterValue: props.externalId },
        { parameterKey: "WafWriteRole", parameterValue: String(props.wafWriteRole.enabled) },
        { parameterKey: "WafWriteRoleName", parameterValue: props.wafWriteRole.roleName },
      ],
      stackInstancesGroup: [
        { deploymentTargets: { organizationalUnitIds: props.targetOrganizationalUnits }, regions: [props.region] },
      ],
    });
  }
}
