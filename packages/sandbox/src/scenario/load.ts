import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { didYouMean, ERROR_CODES, WshubError } from "@wshub/core";
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { hasOrganization, type Scenario, type ScenarioComputer, type ScenarioFinding } from "./types.js";
import { applyWebTierDefaults, checkApplicationTypes, checkWebTier } from "./web-tier.js";

const require = createRequire(import.meta.url);
const schema = require("../../scenarios/scenario.schema.json") as object;
// ajv-formats is CommonJS; under NodeNext its default import is the module object.
type AddFormats = (ajv: Ajv2020) => Ajv2020;
const addFormats = ((addFormatsModule as unknown as { default?: AddFormats }).default ??
  addFormatsModule) as unknown as AddFormats;
// verbose: each error carries its parent schema, whose `properties` name the keys a misspelt one may have meant.
const ajv = new Ajv2020({ allErrors: true, strict: false, verbose: true });
addFormats(ajv);
const validateSchema = ajv.compile(schema);

/** A validator for one part of a scenario (a JSON pointer into the schema), e.g. a finding for a scenario step. */
export function partValidator(pointer: string): ValidateFunction {
  return ajv.compile({ $ref: `${(schema as { $id: string }).$id}#${pointer}` });
}

export const BUILT_IN_SCENARIOS = ["example-small", "signals-small", "waf-small"] as const;

export function builtInScenarioPath(name: (typeof BUILT_IN_SCENARIOS)[number]): string {
  return require.resolve(`../../scenarios/${name}.json`);
}

/** Read, validate and normalise a scenario file. Every problem is reported at once, each with its path and rule. */
export function loadScenarioFile(path: string): Scenario {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw invalid(path, [`cannot read the file: ${(error as Error).message}`]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw invalid(path, [`not valid JSON: ${(error as Error).message}`]);
  }
  return parseScenario(raw, path);
}

export function parseScenario(raw: unknown, source = "scenario"): Scenario {
  if (!validateSchema(raw)) throw invalid(source, schemaProblems(validateSchema.errors));
  const scenario = applyDefaults(raw as RawScenario);
  const problems = checkReferences(scenario);
  if (problems.length > 0) throw invalid(source, problems);
  return scenario;
}

/** Each schema violation as "path: message (rule, schema path)"; an unknown key names the key it may have meant. */
export function schemaProblems(errors: ValidateFunction["errors"], prefix = ""): string[] {
  return (errors ?? []).map((e) => {
    const where = `${prefix}${e.instancePath}` || "(root)";
    const detail = e.keyword === "additionalProperties" ? unknownKey(e) : "";
    return `${where}: ${e.message ?? "is invalid"}${detail} (rule: ${e.keyword}, schema: ${e.schemaPath})`;
  });
}

function unknownKey(error: ErrorObject): string {
  const key = String(error.params["additionalProperty"]);
  const parent = error.parentSchema as { properties?: Record<string, unknown> } | undefined;
  return ` "${key}"${didYouMean(key, Object.keys(parent?.properties ?? {}))}`;
}

export function invalid(source: string, problems: string[]): WshubError {
  return new WshubError(ERROR_CODES.SCENARIO_INVALID, `scenario ${source} is invalid:\n  ${problems.join("\n  ")}`, {
    source,
    problems,
  });
}

// The raw shape is the normalised one with optional defaults; validated by the schema before this runs.
type RawScenario = Omit<Scenario, never> & Record<string, unknown>;

function applyDefaults(raw: RawScenario): Scenario {
  const r = structuredClone(raw) as unknown as Scenario;
  for (const account of r.organization.accounts) {
    account.status ??= "ACTIVE";
    account.tags ??= {};
    account.memberRoleDeployed ??= true;
  }
  for (const instance of r.instances) instance.tags ??= {};
  r.iamRoles = (r.iamRoles ?? []).map((role) => ({
    ...role,
    trustedService: role.trustedService ?? "ec2.amazonaws.com",
    instanceProfile: role.instanceProfile ?? true,
    inlinePolicies: role.inlinePolicies ?? {},
    managedPolicies: role.managedPolicies ?? {},
    attachedPolicyArns: role.attachedPolicyArns ?? [],
  }));
  r.buckets ??= [];
  applyWebTierDefaults(r);
  const occurrences = new Map<string, number>();
  for (const finding of r.findings) applyFindingDefaults(finding, occurrences);
  for (const tenant of r.workloadSecurity.tenants) {
    for (const rule of tenant.ipsRules) rule.detectOnly ??= false;
    for (const policy of tenant.policies) {
      policy.parentId ??= null;
      policy.ipsState ??= "inherited";
      policy.ipsRuleIds ??= [];
    }
    for (const computer of tenant.computers) applyComputerDefaults(computer);
  }
  return r;
}

export function applyComputerDefaults(computer: ScenarioComputer): void {
  computer.ec2 ??= null;
  if (computer.ec2) computer.ec2.viaConnector ??= true;
  computer.agentStatus ??= "active";
  computer.ipsState ??= "inherited";
  computer.ipsRuleIds ??= [];
  computer.antiMalwareState ??= "inherited";
  computer.integrityMonitoringState ??= "inherited";
}

export function applyFindingDefaults(finding: ScenarioFinding, occurrences: Map<string, number>): void {
  finding.type ??= "PACKAGE_VULNERABILITY";
  finding.resourceType ??= "AWS_EC2_INSTANCE";
  finding.title ??= `${finding.vulnerabilityId} - ${finding.packageName ?? "package"}`;
  finding.firstObservedAt ??= finding.updatedAt;
  finding.lastObservedAt ??= finding.updatedAt;
  if (finding.findingArn === undefined) {
    const base = [
      finding.accountId,
      finding.region,
      finding.resourceId,
      finding.vulnerabilityId,
      finding.packageName ?? "",
    ].join("|");
    const n = occurrences.get(base) ?? 0;
    occurrences.set(base, n + 1);
    finding.findingArn = derivedFindingArn(finding.accountId, finding.region, `${base}|${n}`);
  }
}

/** A stable ARN of the shape Inspector uses (`.../finding/<32 hex>`). */
export function derivedFindingArn(accountId: string, region: string, seed: string): string {
  const id = createHash("sha256").update(seed).digest("hex").slice(0, 32);
  return `arn:aws:inspector2:${region}:${accountId}:finding/${id}`;
}

/** What the schema cannot say: ids that must exist, be unique, and keys that must not collide. */
export function checkReferences(s: Scenario): string[] {
  const problems: string[] = [];
  const ouIds = new Set<string>();
  s.organization.organizationalUnits.forEach((ou, i) => {
    if (ouIds.has(ou.id)) problems.push(`/organization/organizationalUnits/${i}/id: duplicate OU id ${ou.id}`);
    ouIds.add(ou.id);
  });
  s.organization.organizationalUnits.forEach((ou, i) => {
    if (ou.parentId !== "root" && !ouIds.has(ou.parentId))
      problems.push(`/organization/organizationalUnits/${i}/parentId: OU ${ou.parentId} does not exist`);
  });
  const accountIds = new Set<string>();
  s.organization.accounts.forEach((account, i) => {
    if (accountIds.has(account.id)) problems.push(`/organization/accounts/${i}/id: duplicate account id ${account.id}`);
    accountIds.add(account.id);
    if (account.ouId !== "root" && !ouIds.has(account.ouId))
      problems.push(`/organization/accounts/${i}/ouId: OU ${account.ouId} does not exist`);
  });
  for (const key of ["managementAccountId", "hubAccountId"] as const) {
    if (!accountIds.has(s.organization[key]))
      problems.push(`/organization/${key}: account ${s.organization[key]} is not in accounts`);
  }
  if (!hasOrganization(s)) problems.push(...standAloneProblems(s));
  s.instances.forEach((instance, i) => {
    if (!accountIds.has(instance.accountId))
      problems.push(`/instances/${i}/accountId: account ${instance.accountId} is not in accounts`);
  });
  problems.push(...checkRolesAndBuckets(s, accountIds), ...checkWebTier(s, accountIds), ...checkApplicationTypes(s));
  s.findings.forEach((finding, i) => {
    if (!accountIds.has(finding.accountId))
      problems.push(`/findings/${i}/accountId: account ${finding.accountId} is not in accounts`);
  });
  const keys = new Set<string>();
  const names = new Set<string>();
  s.workloadSecurity.tenants.forEach((tenant, t) => {
    const at = `/workloadSecurity/tenants/${t}`;
    if (names.has(tenant.name)) problems.push(`${at}/name: duplicate tenant name ${tenant.name}`);
    names.add(tenant.name);
    // One simulator URL serves every tenant and tells them apart by key, so keys must be unique.
    if (keys.has(tenant.apiKey)) problems.push(`${at}/apiKey: the same API key is used by two tenants`);
    keys.add(tenant.apiKey);
    const ruleIds = uniqueIds(tenant.ipsRules, `${at}/ipsRules`, problems);
    const policyIds = uniqueIds(tenant.policies, `${at}/policies`, problems);
    uniqueIds(tenant.computers, `${at}/computers`, problems);
    tenant.policies.forEach((policy, p) => {
      if (policy.parentId !== null && !policyIds.has(policy.parentId))
        problems.push(`${at}/policies/${p}/parentId: policy ${policy.parentId} does not exist`);
      checkRuleRefs(policy.ipsRuleIds, ruleIds, `${at}/policies/${p}/ipsRuleIds`, problems);
    });
    const cycle = findPolicyCycle(tenant.policies);
    if (cycle) problems.push(`${at}/policies: parent chain loops through policy ${cycle}`);
    tenant.computers.forEach((computer, c) => {
      if (computer.policyId !== 0 && !policyIds.has(computer.policyId))
        problems.push(`${at}/computers/${c}/policyId: policy ${computer.policyId} does not exist`);
      checkRuleRefs(computer.ipsRuleIds, ruleIds, `${at}/computers/${c}/ipsRuleIds`, problems);
    });
  });
  return problems;
}

function checkRolesAndBuckets(s: Scenario, accountIds: Set<string>): string[] {
  const problems: string[] = [];
  const roles = new Set<string>();
  (s.iamRoles ?? []).forEach((role, i) => {
    if (!accountIds.has(role.accountId))
      problems.push(`/iamRoles/${i}/accountId: account ${role.accountId} is not in accounts`);
    if (roles.has(`${role.accountId}/${role.name}`))
      problems.push(`/iamRoles/${i}/name: duplicate role ${role.name} in account ${role.accountId}`);
    roles.add(`${role.accountId}/${role.name}`);
  });
  const buckets = new Set<string>();
  (s.buckets ?? []).forEach((bucket, i) => {
    if (!accountIds.has(bucket.accountId))
      problems.push(`/buckets/${i}/accountId: account ${bucket.accountId} is not in accounts`);
    // Bucket names are global in S3.
    if (buckets.has(bucket.name)) problems.push(`/buckets/${i}/name: duplicate bucket ${bucket.name}`);
    buckets.add(bucket.name);
  });
  return problems;
}

function uniqueIds(items: { id: number }[], at: string, problems: string[]): Set<number> {
  const ids = new Set<number>();
  items.forEach((item, i) => {
    if (ids.has(item.id)) problems.push(`${at}/${i}/id: duplicate id ${item.id}`);
    ids.add(item.id);
  });
  return ids;
}

function checkRuleRefs(ruleIds: number[], known: Set<number>, at: string, problems: string[]): void {
  ruleIds.forEach((id, i) => {
    if (!known.has(id)) problems.push(`${at}/${i}: rule ${id} is not in the tenant's ipsRules`);
  });
}

function findPolicyCycle(policies: { id: number; parentId: number | null }[]): number | undefined {
  const parent = new Map(policies.map((p) => [p.id, p.parentId]));
  for (const policy of policies) {
    const seen = new Set<number>();
    let current: number | null | undefined = policy.id;
    while (current !== null && current !== undefined) {
      if (seen.has(current)) return current;
      seen.add(current);
      current = parent.get(current);
    }
  }
  return undefined;
}

/** Without an organization there is one account, the hub's, which is its own management account. */
function standAloneProblems(s: Scenario): string[] {
  const { hubAccountId, managementAccountId, accounts, organizationalUnits } = s.organization;
  const problems: string[] = [];
  if (accounts.length !== 1 || accounts[0]?.id !== hubAccountId)
    problems.push("/organization/accounts: without an organization, the hub account is the only account");
  if (managementAccountId !== hubAccountId)
    problems.push("/organization/managementAccountId: without an organization, it is the hub account");
  if (organizationalUnits.length > 0)
    problems.push("/organization/organizationalUnits: without an organization there are no OUs");
  return problems;
}
