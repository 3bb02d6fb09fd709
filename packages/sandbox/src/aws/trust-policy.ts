/**
 * The part of IAM policy evaluation that decides `sts:AssumeRole` against a role's trust policy, the way AWS does
 * and moto does not: an explicit Deny wins, otherwise some Allow statement must name the action, the caller and
 * have every condition hold. The caller's own identity policies are not evaluated (the sandbox's users may assume
 * anything their target trusts).
 *
 * Supported: Principal `"*"` and `{"AWS": ...}` (account id, `arn:...:root`, user/role ARN); Action / NotAction
 * with wildcards; condition operators String(Not)Equals(IgnoreCase), String(Not)Like, Arn(Not)Equals,
 * Arn(Not)Like, Null, each optionally `...IfExists`; keys `sts:ExternalId`, `aws:PrincipalArn`,
 * `aws:PrincipalAccount`. Anything else (NotPrincipal, ForAnyValue:/ForAllValues:, other operators or keys) makes
 * the statement not apply, which for an Allow means no access.
 */
export interface TrustRequest {
  callerAccountId: string;
  /** As GetCallerIdentity says it (user ARN or assumed-role session ARN). */
  callerArn: string;
  /** `aws:PrincipalArn`: the user, or the role behind a session. */
  principalArn: string;
  externalId?: string | undefined;
}

export type TrustDecision = { allowed: true } | { allowed: false; reason: string };

type Json = unknown;

interface Verdict {
  applies: boolean;
  /** Why the statement does not apply (meaningful when it names the caller). */
  reason?: string;
  namesCaller: boolean;
}

export function evaluateTrustPolicy(document: Json, request: TrustRequest): TrustDecision {
  const statements = asList(isObject(document) ? document["Statement"] : undefined).filter(isObject);
  const verdicts = statements.map((statement) => ({ effect: statement["Effect"], verdict: judge(statement, request) }));
  const deny = verdicts.find((v) => v.effect === "Deny" && v.verdict.applies);
  if (deny) return { allowed: false, reason: "an explicit Deny in the trust policy applies" };
  if (verdicts.some((v) => v.effect === "Allow" && v.verdict.applies)) return { allowed: true };
  const near = verdicts.find((v) => v.effect === "Allow" && v.verdict.namesCaller);
  return {
    allowed: false,
    reason: near?.verdict.reason ?? `the trust policy does not allow ${request.principalArn}`,
  };
}

function judge(statement: Record<string, Json>, request: TrustRequest): Verdict {
  if (!actionMatches(statement)) return { applies: false, namesCaller: false };
  if (!principalMatches(statement["Principal"], request)) return { applies: false, namesCaller: false };
  const failure = firstFailedCondition(statement["Condition"], request);
  return failure === undefined
    ? { applies: true, namesCaller: true }
    : { applies: false, namesCaller: true, reason: failure };
}

function actionMatches(statement: Record<string, Json>): boolean {
  const matches = (patterns: Json) =>
    asList(patterns).some((p) => typeof p === "string" && globMatches(p.toLowerCase(), "sts:assumerole"));
  if ("Action" in statement) return matches(statement["Action"]);
  if ("NotAction" in statement) return !matches(statement["NotAction"]);
  return false;
}

function principalMatches(principal: Json, request: TrustRequest): boolean {
  if (principal === "*") return true;
  if (!isObject(principal)) return false;
  return asList(principal["AWS"]).some((entry) => typeof entry === "string" && awsPrincipalMatches(entry, request));
}

function awsPrincipalMatches(entry: string, request: TrustRequest): boolean {
  if (entry === "*") return true;
  if (/^\d{12}$/.test(entry)) return entry === request.callerAccountId;
  const root = /^arn:aws[a-z-]*:iam::(\d{12}):root$/.exec(entry);
  if (root) return root[1] === request.callerAccountId;
  return entry === request.principalArn || entry === request.callerArn;
}

const CONTEXT_KEYS: Record<string, (request: TrustRequest) => string | undefined> = {
  "sts:externalid": (r) => r.externalId,
  "aws:principalarn": (r) => r.principalArn,
  "aws:principalaccount": (r) => r.callerAccountId,
};

/** undefined when every condition holds, else a sentence naming the first one that does not. */
function firstFailedCondition(conditions: Json, request: TrustRequest): string | undefined {
  if (conditions === undefined) return undefined;
  if (!isObject(conditions)) return "the trust policy's Condition block is malformed";
  for (const [operator, clauses] of Object.entries(conditions)) {
    if (!isObject(clauses)) return `condition ${operator} is malformed`;
    for (const [key, expected] of Object.entries(clauses)) {
      const lookup = CONTEXT_KEYS[key.toLowerCase()];
      const actual = lookup?.(request);
      if (!conditionHolds(operator, actual, asList(expected).map(String)))
        return describeFailure(operator, key, actual);
    }
  }
  return undefined;
}

function describeFailure(operator: string, key: string, actual: string | undefined): string {
  if (key.toLowerCase() === "sts:externalid") {
    return actual === undefined
      ? "the trust policy requires an external id and none was given"
      : "the external id does not match";
  }
  return `condition ${operator} on ${key} is not satisfied`;
}

type Comparison = (actual: string, expected: string) => boolean;

const COMPARISONS: Record<string, { compare: Comparison; negated: boolean }> = {
  StringEquals: { compare: (a, e) => a === e, negated: false },
  StringNotEquals: { compare: (a, e) => a === e, negated: true },
  StringEqualsIgnoreCase: { compare: (a, e) => a.toLowerCase() === e.toLowerCase(), negated: false },
  StringNotEqualsIgnoreCase: { compare: (a, e) => a.toLowerCase() === e.toLowerCase(), negated: true },
  StringLike: { compare: (a, e) => globMatches(e, a), negated: false },
  StringNotLike: { compare: (a, e) => globMatches(e, a), negated: true },
  ArnEquals: { compare: (a, e) => a === e, negated: false },
  ArnNotEquals: { compare: (a, e) => a === e, negated: true },
  ArnLike: { compare: (a, e) => globMatches(e, a), negated: false },
  ArnNotLike: { compare: (a, e) => globMatches(e, a), negated: true },
};

function conditionHolds(operator: string, actual: string | undefined, expected: string[]): boolean {
  if (operator === "Null") return expected.some((e) => (e === "true") === (actual === undefined));
  const ifExists = operator.endsWith("IfExists");
  const comparison = COMPARISONS[ifExists ? operator.slice(0, -"IfExists".length) : operator];
  if (!comparison) return false;
  // AWS: a missing key fails a positive operator, satisfies a negated one, and satisfies anything "IfExists".
  if (actual === undefined) return ifExists || comparison.negated;
  const anyMatch = expected.some((e) => comparison.compare(actual, e));
  return comparison.negated ? !anyMatch : anyMatch;
}

/** IAM wildcards: `*` any run of characters, `?` one character; everything else literal. */
export function globMatches(pattern: string, value: string): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${source}$`, "s").test(value);
}

function asList(value: Json): Json[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function isObject(value: Json): value is Record<string, Json> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
