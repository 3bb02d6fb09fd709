import {
  AddRoleToInstanceProfileCommand,
  AttachRolePolicyCommand,
  CreateInstanceProfileCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  PutRolePolicyCommand,
} from "@aws-sdk/client-iam";
import { CreateBucketCommand, PutBucketPolicyCommand, type BucketLocationConstraint } from "@aws-sdk/client-s3";
import type { ScenarioBucket, ScenarioIamRole } from "../../scenario/types.js";
import type { SeedClients } from "./clients.js";

/**
 * A scenario's IAM roles in the current account, as an administrator makes them: the role with its trust policy,
 * its inline policies, its customer managed policies (created, then attached), the managed policies it names, and
 * the instance profile of the same name. Returns the names of the instance profiles created.
 */
export async function createScenarioRoles(clients: SeedClients, roles: ScenarioIamRole[]): Promise<Set<string>> {
  const profiles = new Set<string>();
  for (const role of roles) {
    await createRole(clients, role);
    if (role.instanceProfile) {
      await clients.iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: role.name }));
      await clients.iam.send(
        new AddRoleToInstanceProfileCommand({ InstanceProfileName: role.name, RoleName: role.name }),
      );
      profiles.add(role.name);
    }
  }
  return profiles;
}

async function createRole(clients: SeedClients, role: ScenarioIamRole): Promise<void> {
  const trust = {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: role.trustedService }, Action: "sts:AssumeRole" }],
  };
  await clients.iam.send(
    new CreateRoleCommand({ RoleName: role.name, AssumeRolePolicyDocument: JSON.stringify(trust) }),
  );
  for (const [name, document] of Object.entries(role.inlinePolicies))
    await clients.iam.send(
      new PutRolePolicyCommand({ RoleName: role.name, PolicyName: name, PolicyDocument: JSON.stringify(document) }),
    );
  const created: string[] = [];
  for (const [name, document] of Object.entries(role.managedPolicies)) {
    const policy = await clients.iam.send(
      new CreatePolicyCommand({ PolicyName: name, PolicyDocument: JSON.stringify(document) }),
    );
    if (policy.Policy?.Arn) created.push(policy.Policy.Arn);
  }
  for (const arn of [...created, ...role.attachedPolicyArns])
    await clients.iam.send(new AttachRolePolicyCommand({ RoleName: role.name, PolicyArn: arn }));
}

/** A scenario's buckets in the current account, each in its region, with its bucket policy. */
export async function createScenarioBuckets(clients: SeedClients, buckets: ScenarioBucket[]): Promise<void> {
  for (const bucket of buckets) {
    // us-east-1 is the one region that takes no location constraint.
    const configuration =
      bucket.region === "us-east-1"
        ? {}
        : { CreateBucketConfiguration: { LocationConstraint: bucket.region as BucketLocationConstraint } };
    await clients.s3.send(new CreateBucketCommand({ Bucket: bucket.name, ...configuration }));
    if (bucket.policy)
      await clients.s3.send(new PutBucketPolicyCommand({ Bucket: bucket.name, Policy: JSON.stringify(bucket.policy) }));
  }
}
