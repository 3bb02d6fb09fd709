import { App, BootstraplessSynthesizer, Stage, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import { acknowledgeFindings } from "./nag.js";
import { roleNames, type Deployment, type OrganizationDeployment } from "./deployment.js";
import { HubStack } from "./hub-stack.js";
import { MemberRoleStack } from "./member-role-stack.js";
import { OrganizationStack } from "./organization-stack.js";

export interface WshubApp {
  app: App;
  hub: HubStack;
  organization: OrganizationStack;
  managementMemberRole: MemberRoleStack;
  memberTemplate: Record<string, unknown>;
}

/** Single-account mode's app: the hub stack alone, one `cdk deploy`. */
export interface HubOnlyApp {
  app: App;
  hub: HubStack;
}

/**
 * The CDK app for the deployment's mode; cdk-nag's AwsSolutions checks run on every stack of it.
 */
export function buildApp(deployment: OrganizationDeployment, app?: App): WshubApp;
export function buildApp(deployment: Deployment, app?: App): WshubApp | HubOnlyApp;
export function buildApp(deployment: Deployment, app = new App()): WshubApp | HubOnlyApp {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  if (deployment.mode === "organization") return buildOrganizationApp(deployment, app);
  const hub = hubStack(app, deployment);
  acknowledgeFindings(hub);
  return { app, hub };
}

function hubStack(app: App, deployment: Deployment): HubStack {
  return new HubStack(app, `${pascal(deployment.prefix)}Hub`, {
    deployment,
    env: { account: deployment.hubAccountId, region: deployment.region },
  });
}

/**
 * The organization's app: the hub stack (hub account), the organization stack (management account: member-role StackSet and the
 * organization read role) and the member role as a plain stack for the management account, which service-managed
 * StackSets skip.
 */
function buildOrganizationApp(deployment: OrganizationDeployment, app: App): WshubApp {
  const names = roleNames(deployment.prefix);
  const arn = (name: string) => `arn:aws:iam::${deployment.hubAccountId}:role/${name}`;
  const collection = deployment.hub["collection"] as
    { memberRole?: { name?: string; externalId?: string } } | undefined;
  const memberRoleName = collection?.memberRole?.name ?? `${deployment.prefix}-member-read`;
  const externalId = collection?.memberRole?.externalId ?? `${deployment.prefix}-external-id`;

  // The StackSet's template: the member role synthesized on its own, without bootstrap parameters or assets.
  const memberStage = new Stage(app, "MemberTemplate");
  const memberTemplateStack = new MemberRoleStack(memberStage, "MemberRole", {
    synthesizer: new BootstraplessSynthesizer(),
  });
  const memberTemplate = memberStage.synth().getStackArtifact(memberTemplateStack.artifactId).template as Record<
    string,
    unknown
  >;

  const hub = hubStack(app, deployment);
  const managementEnv = { account: deployment.managementAccountId, region: deployment.region };
  const organization = new OrganizationStack(app, `${pascal(deployment.prefix)}Organization`, {
    env: managementEnv,
    prefix: deployment.prefix,
    hubAccountId: deployment.hubAccountId,
    memberTemplate,
    memberRoleName,
    externalId,
    collectorRoleArn: arn(names.collector),
    complianceRoleArn: arn(names.compliance),
    organizerRoleArn: arn(names.organizer),
    organizationReadRoleName: names.organizationRead,
    targetOrganizationalUnits: deployment.targetOrganizationalUnits,
    region: deployment.region,
  });
  const managementMemberRole = new MemberRoleStack(app, `${pascal(deployment.prefix)}ManagementMemberRole`, {
    env: managementEnv,
    defaults: {
      roleName: memberRoleName,
      hubAccountId: deployment.hubAccountId,
      collectorRoleArn: arn(names.collector),
      complianceRoleArn: arn(names.compliance),
      externalId,
    },
  });

  acknowledgeFindings(hub, organization, managementMemberRole, memberTemplateStack);
  return { app, hub, organization, managementMemberRole, memberTemplate };
}

function pascal(prefix: string): string {
  return prefix
    .split("-")
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("");
}
