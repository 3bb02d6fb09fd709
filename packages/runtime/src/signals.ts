import { EC2Client } from "@aws-sdk/client-ec2";
import { IAMClient } from "@aws-sdk/client-iam";
import { S3Client } from "@aws-sdk/client-s3";
import { SNSClient } from "@aws-sdk/client-sns";
import { SQSClient } from "@aws-sdk/client-sqs";
import { clientSettings, IamAccessReader, parseSignalEvent, roleArnFor, SignalQueue, SnsNoticeTopic } from "@wshub/aws";
import {
  ERROR_CODES,
  invocationCallShare,
  tenantApiUrl,
  WshubError,
  type BucketAccessReader,
  type OrganizationListing,
  type SignalTenantApi,
} from "@wshub/core";
import { react, type HubContext, type ReactDeps, type ReactionOutcome } from "@wshub/hub";
import { composeMessage, escapeHtml } from "@wshub/reports";
import { DynamoSignalStore, ensureSignalsTable } from "@wshub/store";
import { WorkloadSecurityHttp, WorkloadSecuritySignalTenant, type BackoffPolicy } from "@wshub/workload-security";
import type { HubClients } from "./clients.js";

/** The organization is listed at most this often by one process (every event needs it). */
export const ORGANIZATION_CACHE_MS = 5 * 60_000;

export interface ReactDepsOptions {
  backoff?: BackoffPolicy;
  /** Recommendation polls wait with this (tests pass a short one). */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * The reactions' adapters: the signals table, each tenant's scan API (its key read once; its call ceiling divided
 * by the function's concurrency, so the tenant's limit holds across concurrent invocations), the member-role reads
 * for Macie, the notice composer and the optional SNS topic.
 */
export function createReactDeps(ctx: HubContext & { clients: HubClients }, options: ReactDepsOptions = {}): ReactDeps {
  const { config, clients } = ctx;
  const tenants = new Map<string, Promise<SignalTenantApi>>();
  const deps: ReactDeps = {
    signals: new DynamoSignalStore(clients.documents, config.signals.table),
    openTenant: (tenant) => {
      let api = tenants.get(tenant);
      if (!api) {
        api = signalTenant(ctx, tenant, options.backoff);
        api.catch(() => tenants.delete(tenant));
        tenants.set(tenant, api);
      }
      return api;
    },
    bucketAccess: (accountId, region) => bucketAccessReader(ctx, accountId, region),
    organization: cachedOrganization(ctx),
    composeNotice: async ({ from, to, subject, text }) =>
      composeMessage({ from, to, subject, text, html: `<pre>${escapeHtml(text)}</pre>` }),
    ...(options.sleep ? { sleep: options.sleep } : {}),
  };
  const topicArn = config.signals.snsTopicArn;
  if (topicArn) {
    const region = topicArn.split(":")[3] ?? config.hub.homeRegion;
    const sns = new SNSClient(
      clientSettings("sns", { ...clients.settings, region, credentials: clients.hubCredentials }),
    );
    deps.topic = new SnsNoticeTopic(sns, topicArn);
  }
  return deps;
}

async function signalTenant(
  ctx: HubContext,
  name: string,
  backoff: BackoffPolicy | undefined,
): Promise<SignalTenantApi> {
  const tenant = ctx.config.tenants.find((t) => t.name === name);
  if (!tenant) throw new WshubError(ERROR_CODES.CONFIG_INVALID, `tenant ${name} is not configured`, { tenant: name });
  const apiKey = await ctx.secrets.readApiKey(tenant.apiKeySecret);
  const share = invocationCallShare({
    tenant: name,
    maxCallsPerMinute: tenant.maxCallsPerMinute,
    concurrency: ctx.config.signals.concurrency,
  });
  return new WorkloadSecuritySignalTenant(
    new WorkloadSecurityHttp({
      tenant: tenant.name,
      baseUrl: tenantApiUrl(tenant),
      apiKey,
      authHeader: tenant.authHeader,
      maxCallsPerMinute: share,
      logger: ctx.logger,
      ...(backoff ? { backoff } : {}),
    }),
  );
}

/** Member-role clients of the bucket owner's account (the hub's own credentials when there is no member role). */
function bucketAccessReader(
  ctx: HubContext & { clients: HubClients },
  accountId: string,
  region: string,
): BucketAccessReader {
  const { clients, config } = ctx;
  const role = config.collection.memberRole;
  const credentials = role
    ? clients.credentials.provider({ roleArn: roleArnFor(accountId, role.name), externalId: role.externalId })
    : clients.hubCredentials;
  const input = { ...clients.settings, region, credentials };
  return new IamAccessReader({
    accountId,
    iam: new IAMClient(clientSettings("iam", { ...input, region: "us-east-1" })),
    s3: new S3Client(clientSettings("s3", input)),
    ec2: new EC2Client(clientSettings("ec2", input)),
  });
}

function cachedOrganization(ctx: HubContext): () => Promise<OrganizationListing> {
  let cached: { at: number; listing: Promise<OrganizationListing> } | undefined;
  return () => {
    const now = Date.now();
    if (!cached || now - cached.at > ORGANIZATION_CACHE_MS) {
      const listing = ctx.organization.listOrganization();
      listing.catch(() => (cached = undefined));
      cached = { at: now, listing };
    }
    return cached.listing;
  };
}

/** The hub queue for `wshub react --queue`. */
export function signalQueue(ctx: HubContext & { clients: HubClients }, queueUrl: string): SignalQueue {
  const region = /sqs\.([a-z0-9-]+)\./.exec(queueUrl)?.[1] ?? ctx.config.hub.homeRegion;
  const client = new SQSClient(
    clientSettings("sqs", { ...ctx.clients.settings, region, credentials: ctx.clients.hubCredentials }),
  );
  return new SignalQueue(client, queueUrl);
}

/** Development and sandbox runs create the signals table; production's comes from the CDK stack. */
export function ensureSignalTable(ctx: HubContext & { clients: HubClients }): Promise<void> {
  return ensureSignalsTable(ctx.clients.dynamodb, ctx.config.signals.table);
}

/** One queued message (an EventBridge event as its SQS target delivers it) through the reaction; bad JSON is a rejection. */
export function reactToMessage(
  ctx: HubContext,
  deps: ReactDeps,
  body: string,
  options: { plan: boolean },
): Promise<ReactionOutcome> {
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch {
    const rejection = { reason: "unknown-shape" as const, detail: "the message is not JSON" };
    return react(ctx, deps, { parsed: { ok: false, rejection }, plan: options.plan });
  }
  const eventId =
    typeof raw === "object" && raw !== null && "id" in raw && typeof raw.id === "string" ? raw.id : undefined;
  return react(ctx, deps, { parsed: parseSignalEvent(raw), plan: options.plan, ...(eventId ? { eventId } : {}) });
}
