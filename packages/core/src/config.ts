import { z } from "zod";
import { ERROR_CODES, WshubError } from "./errors.js";
import { ORGANIZATION_MODES, organizationModeProblems } from "./organization-mode.js";
import { schemaProblems } from "./schema-issues.js";
import { parseRuleParameters } from "./compliance/parameters.js";
import { accountId, complianceSection, signalsSection, wafSection } from "./config-integrations.js";

/**
 * The hub's configuration: one file (JSON or YAML), validated at start-up. Every field is documented in
 * docs/configuration.md with an example; production needs no `endpoints` (that is how the sandbox is reached).
 * Every object is a `z.strictObject`: an unknown (misspelt) key is an error, never silently dropped; a test walks the
 * schema and fails on any object that is not strict, so new sections are strict too.
 */
export const AWS_REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d$/;
const awsRegion = z.string().regex(AWS_REGION_PATTERN, "must be an AWS region such as us-east-1");
const email = z
  .string()
  .regex(/^[^\s@<>(),;:"[\]]+@[^\s@<>(),;:"[\]]+\.[^\s@<>(),;:"[\]]+$/, "must be an e-mail address");
const tenantName = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "must be lower-case letters, digits and dashes");
const roleArn = z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, "must be an IAM role ARN");
export const ASSIGNMENT_MODES = ["off", "plan", "apply"] as const;
const assignmentMode = z.enum(ASSIGNMENT_MODES);

const tenantSchema = z
  .strictObject({
    name: tenantName,
    /** Secrets Manager secret (name or ARN) in the hub account: the key as a plain string or JSON {"apiKey": "..."}. */
    apiKeySecret: z.string().min(1),
    /** Workload Security region code (us-1, de-1, ...): the API is https://workload.<region>.cloudone.trendmicro.com/api. */
    region: z
      .string()
      .regex(/^[a-z]+(-[a-z]+)?-\d+$/, "must be a Workload Security region code such as us-1")
      .optional(),
    /** Explicit API base URL, ending in /api; wins over `region`. */
    url: z.url().optional(),
    /** Cloud One keys use `Authorization: ApiKey`; Vision One SWP and legacy keys use `api-secret-key`. */
    authHeader: z.enum(["authorization", "api-secret-key"]).default("authorization"),
    /** Assignment mode for this tenant's accounts, unless an account or OU rule says otherwise. */
    assignmentMode: assignmentMode.optional(),
    /** Client-side ceiling on calls a minute, below the vendor's per-key limit. */
    maxCallsPerMinute: z.number().int().min(1).max(5000).default(450),
  })
  .refine((tenant) => tenant.url !== undefined || tenant.region !== undefined, {
    message: "a tenant needs `url` or `region`",
    path: ["region"],
  });

const configSchema = z
  .strictObject({
    hub: z.strictObject({
      /** Where SES, Secrets Manager and DynamoDB live. */
      homeRegion: awsRegion,
      /** Regions whose Inspector findings are collected. */
      regions: z.array(awsRegion).min(1),
      /** Lifetime of a run's or a tenant writer's lease; renewed every third of it while the holder lives. */
      leaseSeconds: z.number().int().min(10).max(3600).default(120),
    }),
    organization: z
      .strictObject({
        /** `organization` or `single-account` (the hub's own account only); absent: organization when collection.mode is set. */
        mode: z.enum(ORGANIZATION_MODES).optional(),
        /** Single-account mode: the account's name in reports (default: its id). */
        accountName: z.string().min(1).max(64).optional(),
        /** Role in the management account that may list the organization; absent: the hub's own credentials. */
        roleArn: roleArn.optional(),
        externalId: z.string().min(2).optional(),
        /** Only these accounts (default: every account). */
        includeAccounts: z.array(accountId).optional(),
        excludeAccounts: z.array(accountId).default([]),
      })
      .prefault({}),
    collection: z
      .strictObject({
        /** How organization mode reaches the accounts; single-account mode leaves it out. */
        mode: z.enum(["member-role", "delegated-admin"]).optional(),
        memberRole: z
          .strictObject({
            name: z.string().min(1),
            externalId: z.string().min(2),
            sessionSeconds: z.number().int().min(900).max(3600).default(3600),
          })
          .optional(),
        /** Role in the Inspector delegated administrator account; absent: the hub is the delegated administrator. */
        delegatedAdmin: z
          .strictObject({ roleArn: roleArn.optional(), externalId: z.string().min(2).optional() })
          .prefault({}),
        concurrency: z.number().int().min(1).max(64).default(8),
        /** Re-read this much before the last successful collection, so late-indexed updates are not missed. */
        overlapMinutes: z.number().int().min(0).max(1440).default(15),
      })
      .refine((c) => c.mode !== "member-role" || c.memberRole !== undefined, {
        message: "member-role mode needs collection.memberRole",
        path: ["memberRole"],
      })
      .prefault({}),
    tenants: z.array(tenantSchema).default([]),
    mapping: z
      .strictObject({
        accounts: z.record(accountId, tenantName).default({}),
        tagKey: z.string().min(1).optional(),
        organizationalUnits: z.record(z.string().regex(/^ou-[a-z0-9-]+$/, "must be an OU id"), tenantName).default({}),
        defaultTenant: tenantName.optional(),
      })
      .prefault({}),
    reports: z.strictObject({
      outputDir: z.string().min(1).default("./out"),
      sender: email,
      centralRecipients: z.array(email).default([]),
      recipients: z
        .strictObject({
          accounts: z.record(accountId, z.array(email)).default({}),
          tagKey: z.string().min(1).optional(),
        })
        .prefault({}),
      sendEmail: z.boolean().default(true),
      /** Send an account's report again when a re-run in the same ISO week finds nothing changed for it (default: no). */
      resendUnchanged: z.boolean().default(false),
      /** Also write every message as an .eml file under outputDir/emails. */
      writeEml: z.boolean().default(false),
      /** A raw message larger than this carries a presigned link instead of attachments (SES v2: 40 MB). */
      maxMessageBytes: z.number().int().min(10_000).max(40_000_000).default(39_000_000),
      /** S3 bucket in the hub account for oversized reports. */
      linkBucket: z.string().min(3).optional(),
      linkExpiryHours: z.number().int().min(1).max(168).default(72),
    }),
    store: z
      .strictObject({
        findingsTable: z.string().min(3).default("wshub-findings"),
        runsTable: z.string().min(3).default("wshub-runs"),
        auditTable: z.string().min(3).default("wshub-audit"),
      })
      .prefault({}),
    assignment: z
      .strictObject({
        mode: assignmentMode.default("off"),
        target: z.enum(["policy", "computer"]).default("policy"),
        /** Per-account and per-OU modes; account wins over OU (deepest first) over tenant over `mode`. */
        accountModes: z.record(accountId, assignmentMode).default({}),
        organizationalUnitModes: z.record(z.string(), assignmentMode).default({}),
        /** Guard rail: only these accounts, OUs or tag values may be changed (all empty: none may be changed). */
        allow: z
          .strictObject({
            accounts: z.array(accountId).default([]),
            organizationalUnits: z.array(z.string()).default([]),
            tags: z.record(z.string(), z.array(z.string())).default({}),
          })
          .prefault({}),
        /** Guard rail: more targets than this in one run stops the run before any change. */
        maxTargetsPerRun: z.number().int().min(1).max(10_000).default(25),
      })
      .prefault({}),
    waf: wafSection,
    compliance: complianceSection,
    signals: signalsSection,
    /** Hand-offs to other tools (docs/insights.md): absent sections are off. */
    insights: z
      .strictObject({
        /** Import unshielded rows into Security Hub (ASFF, BatchImportFindings) in the hub account. */
        securityHub: z
          .strictObject({
            enabled: z.boolean().default(true),
            /** Security Hub region the findings go to (default: hub.homeRegion). */
            region: awsRegion.optional(),
            /** Re-import an unchanged active finding after this many days, so Security Hub never ages it out (90 days). */
            refreshDays: z.number().int().min(1).max(80).default(30),
          })
          .optional(),
      })
      .prefault({}),
    /** Write every run's CSV and OCSF-shaped JSON lines to a customer bucket, partitioned by date (Athena). */
    archive: z
      .strictObject({
        bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "must be an S3 bucket name"),
        /** Key prefix; the objects go under <prefix>/coverage-csv/dt=YYYY-MM-DD/ and <prefix>/coverage-ocsf/dt=.../ */
        prefix: z
          .string()
          .regex(
            /^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*$/,
            "must be a key prefix without leading or trailing /",
          )
          .default("wshub"),
        /** The bucket's region (default: hub.homeRegion). */
        region: awsRegion.optional(),
      })
      .optional(),
    /** Endpoint overrides: the sandbox sets these; production leaves them out. */
    endpoints: z
      .strictObject({
        /** One endpoint for every AWS service. */
        aws: z.url().optional(),
        /** Per service (organizations, sts, inspector2, dynamodb, sesv2, secretsmanager, s3). */
        services: z.record(z.string(), z.url()).default({}),
      })
      .prefault({}),
  })
  .superRefine((config, ctx) => {
    for (const [path, message] of organizationModeProblems(config)) ctx.addIssue({ code: "custom", path, message });
    config.compliance.rules.forEach((rule, i) => {
      const problem = ruleProblem(rule);
      if (problem) ctx.addIssue({ code: "custom", path: ["compliance", "rules", i], message: problem });
    });
    const names = new Set<string>();
    config.tenants.forEach((tenant, i) => {
      if (names.has(tenant.name))
        ctx.addIssue({ code: "custom", path: ["tenants", i, "name"], message: `duplicate tenant ${tenant.name}` });
      names.add(tenant.name);
    });
    const checkTenant = (tenant: string | undefined, path: (string | number)[]) => {
      if (tenant !== undefined && !names.has(tenant))
        ctx.addIssue({ code: "custom", path, message: `names tenant "${tenant}", which is not in tenants` });
    };
    for (const [id, tenant] of Object.entries(config.mapping.accounts))
      checkTenant(tenant, ["mapping", "accounts", id]);
    for (const [ou, tenant] of Object.entries(config.mapping.organizationalUnits))
      checkTenant(tenant, ["mapping", "organizationalUnits", ou]);
    checkTenant(config.mapping.defaultTenant, ["mapping", "defaultTenant"]);
  });

export type HubConfig = z.output<typeof configSchema>;
export type HubConfigInput = z.input<typeof configSchema>;
export type TenantConfig = HubConfig["tenants"][number];
export type AssignmentMode = (typeof ASSIGNMENT_MODES)[number];
export type SignalSettings = HubConfig["signals"];

/**
 * Validate raw configuration; the error lists every problem as "path: rule", with the source named, and an unknown
 * key with a suggestion ("reports.sendEmails: unknown key; did you mean sendEmail?").
 */
export function parseHubConfig(raw: unknown, source = "configuration"): HubConfig {
  const result = configSchema.safeParse(raw);
  if (result.success) return result.data;
  const problems = schemaProblems(configSchema, result.error);
  throw new WshubError(ERROR_CODES.CONFIG_INVALID, `${source} is invalid:\n  ${problems.join("\n  ")}`, {
    source,
    problems,
  });
}

export function tenantApiUrl(tenant: Pick<TenantConfig, "url" | "region" | "name">): string {
  if (tenant.url !== undefined) return tenant.url.replace(/\/+$/, "");
  return `https://workload.${tenant.region}.cloudone.trendmicro.com/api`;
}

export { configSchema as hubConfigSchema };
export { WAF_MODES, type WafMode } from "./config-integrations.js";

function ruleProblem(json: string): string | undefined {
  try {
    parseRuleParameters(json);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
