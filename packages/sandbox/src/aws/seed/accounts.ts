import {
  AddRoleToInstanceProfileCommand,
  CreateInstanceProfileCommand,
  CreateRoleCommand,
  PutRolePolicyCommand,
} from "@aws-sdk/client-iam";
import type { Scenario, ScenarioInstance } from "../../scenario/types.js";
import { seedInstances } from "../moto-server.js";
import type { SeedClients } from "./clients.js";
import { forEachLimited } from "./parallel.js";
import { createScenarioBuckets, createScenarioRoles } from "./roles-and-buckets.js";
import { seedWebTier, webTiersByAccount } from "./web-tier.js";

export interface TrustedRole {
  name: string;
  /** The account whose principals may assume the role (the hub). */
  trustedAccountId: string;
  externalId: string;
  /** Inline policy (name = role name). */
  permissions: object;
}

/** Read-only access the hub needs in a member account. */
export const MEMBER_READ_PERMISSIONS = {
  Version: "2012-10-17",
  Statement: [
    { Effect: "Allow", Action: ["inspector2:List*", "ec2:Describe*"], Resource: "*" },
    // Compliance rules: the evaluations of the invocation's result token, and the history of oversized items.
    { Effect: "Allow", Action: ["config:PutEvaluations", "config:GetResourceConfigHistory"], Resource: "*" },
    // WAF coverage: load balancers and their targets, distributions, WebACLs and the managed rule group catalogue.
    {
      Effect: "Allow",
      Action: ["elasticloadbalancing:Describe*", "cloudfront:Get*", "cloudfront:List*", "wafv2:Get*", "wafv2:List*"],
      Resource: "*",
    },
  ],
};

/** The separate WAF write role (infra deploys it only when WAF apply is chosen; the sandbox always has it). */
export const WAF_WRITE_PERMISSIONS = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: ["wafv2:GetWebACL", "wafv2:UpdateWebACL"], Resource: "*" }],
};

/** The WAF write role's name (the hub configuration's `waf.writeRoleName` default). */
export const WAF_WRITE_ROLE_NAME = "wshub-waf-writer";

// moto loads no default AMIs here (see the launcher) and does not check that the image exists.
const SANDBOX_IMAGE_ID = "ami-0sandbox000000000";

/**
 * In every account: the member role where `memberRoleDeployed` is not false, then the account's instances (with
 * the instance profiles they name), after the account's declared IAM roles and buckets, then its web tier (WAF).
 * Accounts run in parallel;
 * inside one account, in order.
 */
export async function seedAccountContents(
  clients: SeedClients,
  motoEndpoint: string,
  scenario: Scenario,
  memberRole: Omit<TrustedRole, "permissions">,
  concurrency: number,
): Promise<void> {
  const wafWriteRole = { ...memberRole, name: WAF_WRITE_ROLE_NAME };
  const instancesByAccount = groupBy(scenario.instances, (i) => i.accountId);
  const rolesByAccount = groupBy(scenario.iamRoles ?? [], (r) => r.accountId);
  const bucketsByAccount = groupBy(scenario.buckets ?? [], (b) => b.accountId);
  const webTiers = webTiersByAccount(scenario);
  const accountIds = [...new Set([...scenario.organization.accounts.map((a) => a.id), ...instancesByAccount.keys()])];
  const roleDeployed = new Set(scenario.organization.accounts.filter((a) => a.memberRoleDeployed).map((a) => a.id));
  await forEachLimited(accountIds, concurrency, (accountId) =>
    clients.as(accountId, async () => {
      if (roleDeployed.has(accountId)) {
        await createTrustedRole(clients, { ...memberRole, permissions: MEMBER_READ_PERMISSIONS });
        await createTrustedRole(clients, { ...wafWriteRole, permissions: WAF_WRITE_PERMISSIONS });
      }
      const declared = await createScenarioRoles(clients, rolesByAccount.get(accountId) ?? []);
      await createScenarioBuckets(clients, bucketsByAccount.get(accountId) ?? []);
      await createInstances(clients, motoEndpoint, instancesByAccount.get(accountId) ?? [], declared);
      const webTier = webTiers.get(accountId);
      if (webTier) await seedWebTier(clients, webTier);
    }),
  );
}

/** A role the trusted account may assume with the external id, with its inline policy (in the current account). */
export async function createTrustedRole(clients: SeedClients, role: TrustedRole): Promise<string> {
  const trust = {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${role.trustedAccountId}:root` },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "sts:ExternalId": role.externalId } },
      },
    ],
  };
  const created = await clients.iam.send(
    new CreateRoleCommand({
      RoleName: role.name,
      AssumeRolePolicyDocument: JSON.stringify(trust),
      MaxSessionDuration: 3600,
    }),
  );
  await clients.iam.send(
    new PutRolePolicyCommand({
      RoleName: role.name,
      PolicyName: role.name,
      PolicyDocument: JSON.stringify(role.permissions),
    }),
  );
  return created.Role?.Arn ?? "";
}

/** Instances a seeding request carries at most (one account and region each). */
const INSTANCES_PER_REQUEST = 1_000;

/**
 * The account's instances, in bulk through the launcher's seeding route (moto's EC2 backend, as RunInstances would
 * create them; see python/moto_launcher.py), after the instance profiles they name (through IAM, on the wire).
 */
async function createInstances(
  clients: SeedClients,
  motoEndpoint: string,
  instances: ScenarioInstance[],
  existingProfiles: Set<string>,
): Promise<void> {
  const named = instances.flatMap((i) => (i.instanceProfileRoleName ? [i.instanceProfileRoleName] : []));
  const profiles = new Set(named.filter((name) => !existingProfiles.has(name)));
  for (const profile of profiles) await createInstanceProfile(clients, profile);
  for (const [region, inRegion] of groupBy(instances, (i) => i.region)) {
    for (let i = 0; i < inRegion.length; i += INSTANCES_PER_REQUEST) {
      const batch = inRegion.slice(i, i + INSTANCES_PER_REQUEST);
      await seedInstances(motoEndpoint, {
        accountId: batch[0]?.accountId ?? "",
        region,
        imageId: SANDBOX_IMAGE_ID,
        instances: batch.map((instance) => ({
          id: instance.instanceId,
          tags: { ...(instance.name === undefined ? {} : { Name: instance.name }), ...instance.tags },
          ...(instance.instanceProfileRoleName ? { instanceProfile: instance.instanceProfileRoleName } : {}),
        })),
      });
    }
  }
}

async function createInstanceProfile(clients: SeedClients, roleName: string): Promise<void> {
  const trust = {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
  };
  await clients.iam.send(
    new CreateRoleCommand({ RoleName: roleName, AssumeRolePolicyDocument: JSON.stringify(trust) }),
  );
  await clients.iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: roleName }));
  await clients.iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: roleName, RoleName: roleName }));
}

// Map.groupBy is Node 21+.
function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
