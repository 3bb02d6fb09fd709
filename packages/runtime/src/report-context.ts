import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { SESv2Client } from "@aws-sdk/client-sesv2";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { clientSettings, S3LinkPublisher, SesMailer } from "@wshub/aws";
import { systemClock, type HubConfig } from "@wshub/core";
import type { ReportContext } from "@wshub/hub";
import { createReportRenderer } from "@wshub/reports";
import { DynamoRunStore } from "@wshub/store";
import { documentClient, hubClientFactory } from "./client-factory.js";
import type { RuntimeOptions } from "./context.js";

export type ReportRuntimeOptions = Pick<
  RuntimeOptions,
  "config" | "logger" | "credentials" | "profile" | "outputDir" | "emlDir" | "clock"
>;

/** The clients reports need: the run store's table, SES, and S3 for links. */
export interface ReportClients {
  documents: DynamoDBDocumentClient;
  ses: SESv2Client;
  s3: S3Client;
}

/**
 * Only what rendering and mailing reports touches (a report worker's context): three SDK clients instead of the
 * hub's dozen. Each isolate holds the code it loads; the full context costs a worker ~150 MB of RSS idle
 * (docs/performance.md).
 */
export function createReportContext(options: ReportRuntimeOptions): ReportContext {
  const { config, logger } = options;
  const { base, logged, home } = hubClientFactory({
    config,
    credentials: options.credentials,
    profile: options.profile,
    logger,
  });
  const clients: ReportClients = {
    documents: documentClient(logged(new DynamoDBClient(clientSettings("dynamodb", base(home))))),
    ses: logged(new SESv2Client(clientSettings("sesv2", base(home)))),
    s3: logged(new S3Client(clientSettings("s3", base(home)))),
  };
  return {
    config,
    logger,
    clock: options.clock ?? systemClock,
    ...reportAdapters(config, clients, options),
  };
}

/** The report side of any context, over clients built elsewhere (the hub's own, or a worker's three). */
export function reportAdapters(
  config: HubConfig,
  clients: ReportClients,
  options: { outputDir?: string | undefined; emlDir?: string | undefined },
): Pick<ReportContext, "runs" | "renderer" | "mailer" | "links" | "emailCopy"> {
  const outputDir = options.outputDir ?? config.reports.outputDir;
  const adapters: ReturnType<typeof reportAdapters> = {
    runs: new DynamoRunStore(clients.documents, config.store.runsTable),
    renderer: createReportRenderer({ outputDir }),
    mailer: new SesMailer(clients.ses),
  };
  if (config.reports.linkBucket) adapters.links = new S3LinkPublisher(clients.s3, config.reports.linkBucket);
  // reports.writeEml keeps a copy of every message beside the reports, wherever wshub runs.
  const emlDir = options.emlDir ?? (config.reports.writeEml ? join(outputDir, "emails") : undefined);
  if (emlDir)
    adapters.emailCopy = async (filename, raw) => {
      await mkdir(emlDir, { recursive: true });
      await writeFile(join(emlDir, filename), raw);
    };
  return adapters;
}
