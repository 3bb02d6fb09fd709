import { hostname } from "node:os";
import {
  callerIdentity,
  MemberRoleConfigAccess,
  S3Archive,
  SecretsManagerApiKeys,
  SecurityHubAdapter,
  type AwsCredentials,
} from "@wshub/aws";
import { systemClock, tenantApiUrl, type Clock, type HubConfig, type Logger } from "@wshub/core";
import { silentProgress, type HubContext, type ProgressListener } from "@wshub/hub";
import { createTables, DynamoAuditStore, DynamoFindingStore, DynamoLeaseStore } from "@wshub/store";
import { WorkloadSecurityHttp, WorkloadSecurityTenant, type BackoffPolicy } from "@wshub/workload-security";
import { accountAccess, wafAccess } from "./account-access.js";
import { buildClients, type HubClients } from "./clients.js";
import { reportAdapters } from "./report-context.js";

export interface RuntimeOptions {
  config: HubConfig;
  logger: Logger;
  progress?: ProgressListener;
  /** Explicit hub credentials (the sandbox); production uses the SDK's default chain. */
  credentials?: AwsCredentials;
  /** A named AWS profile for the hub's credentials (`--profile`), as AWS_PROFILE selects it. */
  profile?: string;
  /** Replaces `hub.homeRegion` (`--region`): DynamoDB, SES, Secrets Manager, STS and S3; not Inspector's regions. */
  region?: string;
  /** Where report files are kept (default: the configuration's reports.outputDir). */
  outputDir?: string;
  /** Write a copy of every e-mail as an .eml file here. */
  emlDir?: string;
  clock?: Clock;
  /** Workload Security retry policy (tests shorten it). */
  backoff?: BackoffPolicy;
  /** Where this hub runs, named in its leases (default: host name and pid; Lambda: the function and request). */
  host?: string;
}

/** The composition root: configuration → SDK clients → adapters → the context every use case takes. */
export function createHubContext(options: RuntimeOptions): HubContext & { clients: HubClients } {
  const { logger } = options;
  const config = withHomeRegion(options.config, options.region);
  const clients = buildClients({ config, credentials: options.credentials, profile: options.profile, logger });
  const identity = () => callerIdentity(clients.sts);
  const context: HubContext & { clients: HubClients } = {
    config,
    clients,
    ...accountAccess(config, clients, identity),
    secrets: new SecretsManagerApiKeys(clients.secrets),
    tenantApi: (tenant, apiKey) =>
      new WorkloadSecurityTenant(
        new WorkloadSecurityHttp({
          tenant: tenant.name,
          baseUrl: tenantApiUrl(tenant),
          apiKey,
          authHeader: tenant.authHeader,
          maxCallsPerMinute: tenant.maxCallsPerMinute,
          logger,
          ...(options.backoff ? { backoff: options.backoff } : {}),
        }),
      ),
    findings: new DynamoFindingStore(clients.documents, config.store.findingsTable),
    audit: new DynamoAuditStore(clients.documents, config.store.auditTable),
    leases: new DynamoLeaseStore(clients.documents, config.store.runsTable),
    ...reportAdapters(config, clients, options),
    identity,
    host: options.host ?? `${hostname()} pid ${process.pid}`,
    logger,
    clock: options.clock ?? systemClock,
    progress: options.progress ?? silentProgress,
  };
  const securityHub = config.insights.securityHub;
  if (securityHub?.enabled)
    context.securityHub = new SecurityHubAdapter(
      clients.securityHub(securityHub.region ?? config.hub.homeRegion),
      securityHub.region ?? config.hub.homeRegion,
      context.identity,
      context.clock,
    );
  const memberRole = config.collection.memberRole;
  if (memberRole)
    context.configAccess = new MemberRoleConfigAccess(
      { settings: clients.settings, credentials: clients.credentials, hubCredentials: clients.hubCredentials },
      { name: memberRole.name, externalId: memberRole.externalId, sessionSeconds: memberRole.sessionSeconds },
    );
  const waf = wafAccess(config, clients);
  if (waf) context.waf = waf;
  if (config.archive)
    context.archive = new S3Archive(
      clients.s3For(config.archive.region ?? config.hub.homeRegion),
      config.archive.bucket,
    );
  return context;
}

function withHomeRegion(config: HubConfig, region: string | undefined): HubConfig {
  return region === undefined ? config : { ...config, hub: { ...config.hub, homeRegion: region } };
}

/** Development and sandbox runs create the tables; production tables come from the CDK stack. */
export async function ensureTables(context: HubContext & { clients: HubClients }): Promise<void> {
  const { store } = context.config;
  await createTables(context.clients.dynamodb, {
    findings: store.findingsTable,
    runs: store.runsTable,
    audit: store.auditTable,
  });
}
