import { App, BootstraplessSynthesizer, Stage, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import { acknowledgeFindings } from "./nag.js";
import { roleNames, type Deployment, type OrganizationDeployment } from "./deployment.js";
import { HubStack } from "./hub-stack.js";
import { MemberRoleStack } from "./member-role-stack.js";
import { OrganizationStack } from "./organization-stack.js";
import { forwardingTargets, SignalForwardingStack } from "./signal-forwarding.js";
import { wafWriteRoleOf } from "./waf-grants.js";

export interface WshubApp {
  app: App;
  hub: HubStack;
  organization: OrganizationStack;
  managementMemberRole: MemberRoleStack;
  memberTemplate: Record<string, unknown>;
  /** One per delegated-administrator account and region of the signal services (deployment `signals.forwarders`). */
  forwarders: SignalForwardingStack[];
}

export interface BuildOptions {
  /** The react handler's file (tests point it at a fixture until the handler exists). */
  reactHandlerEntry?: string;
}

/** Single-account mode's app: the hub stack alone, one `cdk deploy`. */
export interface HubOnlyApp {
  app: App;
  hub: HubStack;
}

/**
 * The CDK app for the deployment's mode; cdk-nag's AwsSolutions checks run on every stack of it.
 */
export function buildApp(deployment: OrganizationDeployment, app?: App, options?: BuildOptions): WshubApp;
export function buildApp(deployment: Deployment, app?: App, options?: BuildOptions): WshubApp | HubOnlyApp;
export function buildApp(deployment: Deployment, app = new App(), options: BuildOptions = {}): WshubApp | HubOnlyApp {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  if (deployment.mode === "organization") return buildOrganizationApp(deployment, app, options);
  const hub = hubStack(app, deployment, options);
  acknowledgeFindings(hub);
  return { app, hub };
}

function hubStack(app: App, deployment: Deployment, options: BuildOptions): HubStack {
  return new HubStack(app, `${pascal(deployment.prefix)}Hub`, {
    deployment,
    env: { account: deployment.hubAccountId, region: deployment.region },
    ...(options.reactHandlerEntry ? { reactHandlerEntry: options.reactHandlerEntry } : {}),
  });
}

/**
 * The organization's app: the hub stack (hub account), the organization stack (management account: member-role StackSet and the
 * organization read role), the member role as a plain stack for the management account, which service-managed
 * StackSets skip, and the signal forwarding stacks.
 */
function buildOrganizationApp(deployment: OrganizationDeployment, app: App, options: BuildOptions): WshubApp {
  const names = roleNames(deployment.prefix);
  const arn = (name: string) => `arn:aws:iam::${deployment.hubAccountId}:role/${name}`;
  const collection = deployment.hub["collection"] as
    { memberRole?: { name?: string; externalId?: string } } | undefined;
  const memberRoleName = collection?.memberRole?.name ?? `${deployment.prefix}-member-read`;
  const externalId = collection?.memberRole?.externalId ?? `${deployment.prefix}-external-id`;
  const wafWriteRole = wafWriteRoleOf(deployment);

  // The StackSet's template: the member role synthesized on its own, without bootstrap parameters or assets.
  const memberStage = new Stage(app, "MemberTemplate");
  const memberTemplateStack = new MemberRoleStack(memberStage, "MemberRole", {
    synthesizer: new BootstraplessSynthesizer(),
  });
  const memberTemplate = memberStage.synth().getStackArtifact(memberTemplateStack.artifactId).template as Record<
    string,
    unknown
  >;

  const hub = hubStack(app, deployment, options);
  const forwarders =
    deployment.signals && hub.reactions
      ? forwardingTargets(deployment.signals).map(
          (place) =>
            new SignalForwardingStack(
              app,
              `${pascal(deployment.prefix)}Forward${place.accountId}${pascal(place.region)}`,
              {
                env: { account: place.accountId, region: place.region },
                prefix: deployment.prefix,
                // A literal ARN: the hub bus's name is fixed, so no cross-stack reference is needed.
                hubBusArn: `arn:aws:events:${deployment.region}:${deployment.hubAccountId}:event-bus/${deployment.prefix}-signals`,
                services: place.services,
              },
            ),
        )
      : [];
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
    reactorRoleArn: arn(names.reactor),
    evaluatorRoleArn: arn(names.evaluator),
    assignerRoleArn: arn(names.assigner),
    organizerRoleArn: arn(names.organizer),
    organizationReadRoleName: names.organizationRead,
    wafWriteRole,
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
      reactorRoleArn: arn(names.reactor),
      evaluatorRoleArn: arn(names.evaluator),
      assignerRoleArn: arn(names.assigner),
      externalId,
      wafWriteRole,
    },
  });

  acknowledgeFindings(hub, organization, managementMemberRole, memberTemplateStack);
  return { app, hub, organization, managementMemberRole, memberTemplate, forwarders };
}

function pascal(prefix: string): string {
  return prefix
    .split("-")
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("");
}
