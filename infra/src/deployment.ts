import { readFileSync } from "node:fs";
import {
  DEFAULT_REACT_CONCURRENCY,
  MAX_REACT_CONCURRENCY,
  MIN_REACT_CONCURRENCY,
  parseHubConfig,
  type HubConfig,
  type HubConfigInput,
} from "@wshub/core";
import { z } from "zod";

/**
 * Every deploy-time choice, validated before anything is synthesized. It comes from the CDK context key
 * `wshub:deployment`: a path to a JSON file (deployment.example.json documents every field) or the object itself.
 */
const accountId = z.string().regex(/^\d{12}$/, "must be a 12-digit AWS account id");

const common = {
  /** Prefix of every named resource (roles, tables, parameter), so two deployments can live side by side. */
  prefix: z
    .string()
    .regex(/^[a-z][a-z0-9-]{1,19}$/, "lower-case letters, digits, dashes; 2-20 characters")
    .default("wshub"),
  hubAccountId: accountId,
  /** The hub's home region (tables, functions, SES, secrets). */
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/),
  schedule: z
    .string()
    .regex(/^(cron|rate)\(.+\)$/, "must be an EventBridge Scheduler cron(...) or rate(...)")
    .default("cron(0 12 ? * WED *)"),
  scheduleTimezone: z.string().default("UTC"),
  /** Accounts collected at once by the distributed Map (Lambda concurrency and Inspector/STS pressure). */
  collectConcurrency: z.number().int().min(1).max(1000).default(20),
  reportConcurrency: z.number().int().min(1).max(1000).default(10),
  /** Account batches evaluated at once (each reads its tenant's stored snapshot; no Workload Security call). */
  evaluateConcurrency: z.number().int().min(1).max(1000).default(10),
  /** Where alarms about failed runs go (an SNS e-mail subscription); optional. */
  alarmEmail: z.string().email().optional(),
  tenants: z
    .array(
      z.object({
        name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
        region: z.string().optional(),
        url: z.url().optional(),
        authHeader: z.enum(["authorization", "api-secret-key"]).optional(),
        /** An existing secret holding the key; absent: the stack creates an empty secret to fill in. */
        secretArn: z
          .string()
          .regex(/^arn:aws[a-z-]*:secretsmanager:/)
          .optional(),
        assignmentMode: z.enum(["off", "plan", "apply"]).optional(),
      }),
    )
    .default([]),
  /** AWS Config organization rules evaluated against Workload Security (docs/integrations.md, AWS Config). */
  compliance: z
    .object({
      rules: z
        .array(
          z.object({ name: z.string().regex(/^[A-Za-z0-9-]{1,40}$/), parameters: z.record(z.string(), z.unknown()) }),
        )
        .default([]),
      maximumExecutionFrequency: z
        .enum(["One_Hour", "Three_Hours", "Six_Hours", "Twelve_Hours", "TwentyFour_Hours"])
        .default("TwentyFour_Hours"),
      excludedAccounts: z.array(accountId).default([]),
    })
    .optional(),
  /** Reacting to GuardDuty, Macie and Inspector finding events (issue 10; docs/integrations.md); absent: not deployed. */
  signals: z
    .object({
      /** Only principals of this organization may put events on the hub bus. */
      organizationId: z.string().regex(/^o-[a-z0-9]{10,32}$/, "must be an organization id (o-xxxxxxxxxx)"),
      /** The react function's concurrent invocations (the event source mapping's maximumConcurrency, 2..1000). */
      maximumConcurrency: z
        .number()
        .int()
        .min(MIN_REACT_CONCURRENCY)
        .max(MAX_REACT_CONCURRENCY)
        .default(DEFAULT_REACT_CONCURRENCY),
      batchSize: z.number().int().min(1).max(10).default(10),
      /** Delegated-administrator accounts of each service and the regions where their findings must be forwarded. */
      forwarders: z
        .array(
          z.object({
            service: z.enum(["guardduty", "macie", "inspector2"]),
            accountId,
            regions: z.array(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/)).min(1),
          }),
        )
        .default([]),
    })
    .optional(),
  /** The rest of the hub configuration (see docs/configuration.md); the stack fills in tables, tenants and the bucket. */
  hub: z.record(z.string(), z.unknown()),
};

/**
 * `organization` (the default): the hub stack, the organization stack (member-role StackSet, organization read role)
 * and the management account's member role. `single-account`: the hub stack alone, reading its own account with its
 * functions' own permissions, in one `cdk deploy` (deployment.single-account.example.json).
 */
const organizationDeployment = z.object({
  ...common,
  mode: z.literal("organization"),
  managementAccountId: accountId,
  /** OUs (or the root, r-xxxx) the member-role StackSet deploys to, with auto-deployment to new accounts. */
  targetOrganizationalUnits: z
    .array(
      z
        .string()
        .regex(
          /^(ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}|r-[a-z0-9]{4,32})$/,
          "must be an OU id (ou-xxxx-xxxxxxxx) or a root id (r-xxxx)",
        ),
    )
    .min(1),
});
// Strict: a management account or OUs left in a single-account deployment is a mistake worth naming.
const singleAccountDeployment = z.strictObject({ ...common, mode: z.literal("single-account") });

export const deploymentSchema = z.preprocess(
  (raw) => (isObject(raw) && raw["mode"] === undefined ? { ...raw, mode: "organization" } : raw),
  z.discriminatedUnion("mode", [organizationDeployment, singleAccountDeployment]),
);

function isObject(raw: unknown): raw is Record<string, unknown> {
  return typeof raw === "object" && raw !== null && !Array.isArray(raw);
}

export type Deployment = z.output<typeof deploymentSchema>;
export type OrganizationDeployment = z.output<typeof organizationDeployment>;

export function loadDeployment(context: unknown): Deployment {
  const raw = typeof context === "string" ? (JSON.parse(readFileSync(context, "utf8")) as unknown) : context;
  const result = deploymentSchema.safeParse(raw);
  if (!result.success)
    throw new Error(
      `wshub deployment is invalid:\n  ${result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("\n  ")}`,
    );
  return result.data;
}

export interface DeployedNames {
  findingsTable: string;
  runsTable: string;
  auditTable: string;
  reportBucket: string;
  tenantSecrets: Record<string, string>;
}

/** The hub configuration the functions read, validated by the same schema the CLI uses (so a mistake fails synth). */
const DEPLOYED_LEASE_SECONDS = 900;

export function hubConfigFor(deployment: Deployment, names: DeployedNames): HubConfig {
  const hub = deployment.hub as HubConfigInput & Record<string, unknown>;
  const input: HubConfigInput = {
    ...hub,
    // A run's steps run in many invocations: its lease must outlive the longest gap between two (a Map's retries).
    hub: { leaseSeconds: DEPLOYED_LEASE_SECONDS, ...hub.hub },
    tenants: deployment.tenants.map((t) => ({
      name: t.name,
      apiKeySecret: names.tenantSecrets[t.name] as string,
      ...(t.region ? { region: t.region } : {}),
      ...(t.url ? { url: t.url } : {}),
      ...(t.authHeader ? { authHeader: t.authHeader } : {}),
      ...(t.assignmentMode ? { assignmentMode: t.assignmentMode } : {}),
    })),
    organization: organizationFor(deployment, hub.organization),
    reports: { ...(hub.reports as HubConfigInput["reports"]), outputDir: "/tmp/wshub", linkBucket: names.reportBucket },
    store: { findingsTable: names.findingsTable, runsTable: names.runsTable, auditTable: names.auditTable },
  };
  return parseHubConfig(input, "deployment hub configuration");
}

/**
 * Organization mode reads the organization through the role the organization stack deploys in the management
 * account; single-account mode reads the hub's own account.
 */
function organizationFor(
  deployment: Deployment,
  given: HubConfigInput["organization"],
): HubConfigInput["organization"] {
  if (deployment.mode === "single-account") return { ...given, mode: "single-account" };
  const roleName = roleNames(deployment.prefix).organizationRead;
  return { ...given, roleArn: `arn:aws:iam::${deployment.managementAccountId}:role/${roleName}` };
}

/** Names of the roles other accounts trust: fixed, so the member-role template can name them before they exist. */
export function roleNames(prefix: string) {
  return {
    collector: `${prefix}-collector`,
    compliance: `${prefix}-compliance`,
    reactor: `${prefix}-reactor`,
    /** EvaluateAccounts: reads each account's ALBs, distributions and WebACLs (the WAF check) through the member role. */
    evaluator: `${prefix}-evaluator`,
    /** Assign: IPS assignment, and the WAF apply assumes each account's WAF write role (`waf.writeRoleName`) as this role. */
    assigner: `${prefix}-assigner`,
    organizer: `${prefix}-organizer`,
    organizationRead: `${prefix}-org-read`,
  };
}
