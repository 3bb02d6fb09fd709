import { listOf, matchesAny } from "./iam-glob.js";

/** An IAM policy document as AWS stores it (identity or resource policy). */
export interface PolicyStatement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Principal?: "*" | Record<string, string | string[]>;
  NotPrincipal?: Record<string, string | string[]>;
  Condition?: Record<string, Record<string, unknown>>;
}

export interface PolicyDocument {
  Version?: string;
  Statement: PolicyStatement | PolicyStatement[];
}

/** A role as GetAccountAuthorizationDetails describes it: its inline and attached policies resolved to documents. */
export interface RoleIdentity {
  arn: string;
  name: string;
  accountId: string;
  policies: PolicyDocument[];
  instanceProfileArns: string[];
}

/** `can`: an unconditional grant and no deny; `may`: a grant under conditions (or a conditional deny). */
export type AccessLevel = "can" | "may";

export interface RoleAccess {
  roleArn: string;
  roleName: string;
  accountId: string;
  access: AccessLevel;
  via: "bucket-policy" | "identity-policy" | "both";
  /** The data actions the role may perform on the bucket. */
  actions: string[];
  /** The condition keys the answer depends on (and `resource-prefix` for a grant on part of the bucket). */
  conditions: string[];
  instanceProfileArns: string[];
}

export interface BucketAccessInput {
  bucket: { name: string; ownerAccountId: string };
  bucketPolicy: PolicyDocument | undefined;
  roles: RoleIdentity[];
}

export interface BucketAccess {
  roles: RoleAccess[];
  /** Roles a grant names but an unconditional explicit Deny stops. */
  denied: string[];
}

/** The data actions that matter for a finding about a bucket's contents. */
export const BUCKET_DATA_ACTIONS = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket"] as const;

type Level = 0 | 1 | 2;
interface Match {
  level: Level;
  conditions: string[];
}
const NONE: Match = { level: 0, conditions: [] };

/**
 * Which roles may access the bucket (integrations-notes §3.3), evaluated locally: bucket-policy principals and role
 * identity policies, `Action`/`NotAction` and `Resource`/`NotResource` with IAM wildcards, explicit Deny wins, and a
 * grant under conditions is "may access", never "can". Same account: either policy grants; another account: both must.
 * Permission boundaries, SCPs and KMS key policies are not seen here, so "can" means "as far as these policies say".
 */
export function analyseBucketAccess(input: BucketAccessInput): BucketAccess {
  const bucketArn = `arn:aws:s3:::${input.bucket.name}`;
  const bucketStatements = input.bucketPolicy ? statementsOf(input.bucketPolicy) : [];
  const roles: RoleAccess[] = [];
  const denied: string[] = [];
  for (const role of input.roles) {
    const result = roleAccess(role, bucketArn, input.bucket.ownerAccountId, bucketStatements);
    if (result === "denied") denied.push(role.arn);
    else if (result) roles.push(result);
  }
  return { roles: roles.sort((a, b) => a.roleArn.localeCompare(b.roleArn)), denied: denied.sort() };
}

function roleAccess(
  role: RoleIdentity,
  bucketArn: string,
  owner: string,
  bucketStatements: PolicyStatement[],
): RoleAccess | "denied" | undefined {
  const identityStatements = role.policies.flatMap(statementsOf);
  const actions: string[] = [];
  const conditions = new Set<string>();
  let best: Level = 0;
  let viaIdentity = false;
  let viaBucket = false;
  let deniedSomewhere = false;
  for (const action of BUCKET_DATA_ACTIONS) {
    const resource = action === "s3:ListBucket" ? bucketArn : `${bucketArn}/*`;
    const request = { action, resource, bucketArn, role, owner };
    const identity = strongest(
      identityStatements.filter((s) => s.Effect === "Allow"),
      (s) => identityMatch(s, request),
    );
    const bucket = strongest(
      bucketStatements.filter((s) => s.Effect === "Allow"),
      (s) => bucketMatch(s, request),
    );
    const deny = strongest(
      [...identityStatements, ...bucketStatements].filter((s) => s.Effect === "Deny"),
      (s) => denyMatch(s, request, bucketStatements.includes(s)),
    );
    const granted = combine(identity, bucket, role.accountId === owner);
    if (granted.level === 0) continue;
    if (deny.level === 2) {
      deniedSomewhere = true;
      continue;
    }
    const level: Level = deny.level === 1 ? 1 : granted.level;
    for (const key of [...granted.conditions, ...deny.conditions]) conditions.add(key);
    actions.push(action);
    best = Math.max(best, level) as Level;
    viaIdentity ||= identity.level > 0;
    viaBucket ||= bucket.level > 0;
  }
  if (actions.length === 0) return deniedSomewhere ? "denied" : undefined;
  return {
    roleArn: role.arn,
    roleName: role.name,
    accountId: role.accountId,
    access: best === 2 && conditions.size === 0 ? "can" : "may",
    via: viaIdentity && viaBucket ? "both" : viaBucket ? "bucket-policy" : "identity-policy",
    actions,
    conditions: [...conditions].sort(),
    instanceProfileArns: role.instanceProfileArns,
  };
}

interface Request {
  action: string;
  resource: string;
  bucketArn: string;
  role: RoleIdentity;
  owner: string;
}

/** Same account: the better of the two grants; across accounts: both are needed, so the weaker one counts. */
function combine(identity: Match, bucket: Match, sameAccount: boolean): Match {
  if (sameAccount) {
    const levels = [identity, bucket].filter((m) => m.level > 0);
    if (levels.length === 0) return NONE;
    const level = Math.max(...levels.map((m) => m.level)) as Level;
    return { level, conditions: levels.filter((m) => m.level === level).flatMap((m) => m.conditions) };
  }
  if (identity.level === 0 || bucket.level === 0) return NONE;
  return {
    level: Math.min(identity.level, bucket.level) as Level,
    conditions: [...identity.conditions, ...bucket.conditions],
  };
}

function strongest(statements: PolicyStatement[], match: (s: PolicyStatement) => Match): Match {
  let best = NONE;
  for (const statement of statements) {
    const m = match(statement);
    if (m.level > best.level || (m.level === best.level && m.level > 0 && m.conditions.length < best.conditions.length))
      best = m;
  }
  return best;
}

function identityMatch(statement: PolicyStatement, request: Request): Match {
  return actionAndResource(statement, request);
}

/** A bucket-policy grant names the role, everyone (`*`) or, from another account, the role's account. */
function bucketMatch(statement: PolicyStatement, request: Request): Match {
  const principal = principalMatch(statement.Principal, request, request.role.accountId !== request.owner);
  return principal ? actionAndResource(statement, request) : NONE;
}

function denyMatch(statement: PolicyStatement, request: Request, fromBucketPolicy: boolean): Match {
  if (fromBucketPolicy) {
    const named = statement.NotPrincipal
      ? !principalMatch(statement.NotPrincipal, request, true)
      : principalMatch(statement.Principal, request, true);
    if (!named) return NONE;
  }
  return actionAndResource(statement, request);
}

function principalMatch(principal: PolicyStatement["Principal"], request: Request, accountCounts: boolean): boolean {
  if (principal === undefined) return false;
  if (principal === "*") return true;
  const arns = listOf(principal["AWS"]);
  const account = request.role.accountId;
  return arns.some(
    (arn) =>
      arn === "*" ||
      arn === request.role.arn ||
      (accountCounts && (arn === account || arn === `arn:aws:iam::${account}:root`)),
  );
}

function actionAndResource(statement: PolicyStatement, request: Request): Match {
  const actionOk = statement.NotAction
    ? !matchesAny(listOf(statement.NotAction), request.action, true)
    : matchesAny(listOf(statement.Action), request.action, true);
  if (!actionOk) return NONE;
  const resource = resourceMatch(statement, request);
  if (resource.level === 0) return NONE;
  const conditionKeys = Object.values(statement.Condition ?? {}).flatMap((byKey) => Object.keys(byKey));
  const conditions = [...resource.conditions, ...conditionKeys];
  return { level: conditions.length > 0 ? 1 : 2, conditions };
}

/** `bucket/*` matched whole, or only a prefix of the bucket's keys (`bucket/reports/*`: "may", resource-prefix). */
function resourceMatch(statement: PolicyStatement, request: Request): Match {
  if (statement.NotResource)
    return matchesAny(listOf(statement.NotResource), request.resource) ? NONE : { level: 2, conditions: [] };
  const patterns = listOf(statement.Resource);
  if (matchesAny(patterns, request.resource)) return { level: 2, conditions: [] };
  const objects = request.resource.endsWith("/*");
  if (objects && patterns.some((p) => p.startsWith(`${request.bucketArn}/`)))
    return { level: 1, conditions: ["resource-prefix"] };
  return NONE;
}

export function statementsOf(document: PolicyDocument): PolicyStatement[] {
  return Array.isArray(document.Statement) ? document.Statement : [document.Statement];
}
