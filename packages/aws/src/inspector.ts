import { EC2Client } from "@aws-sdk/client-ec2";
import {
  Inspector2Client,
  paginateListCoverage,
  paginateListFindings,
  type FilterCriteria,
} from "@aws-sdk/client-inspector2";
import {
  ERROR_CODES,
  WshubError,
  type CoveredInstance,
  type Finding,
  type FindingsQuery,
  type InspectorAccess,
  type InspectorReader,
} from "@wshub/core";
import { clientSettings, type ClientSettingsInput } from "./client-settings.js";
import { roleArnFor, type CrossAccountCredentials } from "./credentials.js";
import { Ec2InstanceInventory } from "./ec2.js";
import { toCoveredInstance, toFinding } from "./inspector-mapping.js";
import { countedPages, type RequestTally } from "./paging.js";
import { awsErrorMessage, awsErrorName, isAccessDenied } from "./sdk-errors.js";

/** Inspector's hard limits: 100 findings a page, 200 covered resources a page, 10 values in any filter list. */
export const FINDINGS_PAGE_SIZE = 100;
export const COVERAGE_PAGE_SIZE = 200;
export const MAX_FILTER_VALUES = 10;

/**
 * Reads findings through one Inspector2 client (a member role's or the administrator's), and instances from the
 * account's own EC2 inventory when one is given (member roles), else from Inspector's coverage (the administrator).
 */
export class InspectorFindingsReader implements InspectorReader {
  private readonly tally: RequestTally = { calls: 0 };

  constructor(
    private readonly client: Inspector2Client,
    private readonly region: string,
    private readonly inventory?: Ec2InstanceInventory,
  ) {}

  /** Inspector calls made so far (EC2 calls are not Inspector's: they are counted by the inventory). */
  get calls(): number {
    return this.tally.calls;
  }

  async *listFindings(query: FindingsQuery): AsyncIterable<Finding[]> {
    checkAccountCount(query.accountIds);
    const filterCriteria: FilterCriteria = {
      awsAccountId: query.accountIds.map((value) => ({ comparison: "EQUALS", value })),
    };
    if (query.updatedSince) filterCriteria.updatedAt = [{ startInclusive: query.updatedSince }];
    const pages = paginateListFindings({ client: this.client, pageSize: FINDINGS_PAGE_SIZE }, { filterCriteria });
    yield* this.mapPages(pages, query.accountIds, (page) =>
      (page.findings ?? []).map((f) => toFinding(f, this.region)).filter((f): f is Finding => f !== undefined),
    );
  }

  async *listEc2Instances(query: { accountIds: string[]; region: string }): AsyncIterable<CoveredInstance[]> {
    checkAccountCount(query.accountIds);
    if (this.inventory) {
      yield* this.inventory.listInstances();
      return;
    }
    const pages = paginateListCoverage(
      { client: this.client, pageSize: COVERAGE_PAGE_SIZE },
      {
        filterCriteria: {
          accountId: query.accountIds.map((value) => ({ comparison: "EQUALS", value })),
          resourceType: [{ comparison: "EQUALS", value: "AWS_EC2_INSTANCE" }],
        },
      },
    );
    yield* this.mapPages(pages, query.accountIds, (page) =>
      (page.coveredResources ?? [])
        .map((r) => toCoveredInstance(r, query.region))
        .filter((r): r is CoveredInstance => r !== undefined),
    );
  }

  private async *mapPages<P, T>(
    pages: AsyncIterable<P>,
    accountIds: string[],
    map: (page: P) => T[],
  ): AsyncIterable<T[]> {
    for await (const page of countedPages(pages, (error) => inspectorError(error, accountIds, this.region), this.tally))
      yield map(page);
  }
}

function checkAccountCount(accountIds: string[]): void {
  if (accountIds.length === 0 || accountIds.length > MAX_FILTER_VALUES)
    throw new WshubError(
      ERROR_CODES.INSPECTOR_REQUEST_INVALID,
      `an Inspector filter takes 1 to ${MAX_FILTER_VALUES} accounts, got ${accountIds.length}`,
      {
        accounts: accountIds.length,
      },
    );
}

function inspectorError(error: unknown, accountIds: string[], region: string): WshubError {
  if (error instanceof WshubError) return error;
  const name = awsErrorName(error);
  const code =
    name === "ValidationException" ? ERROR_CODES.INSPECTOR_REQUEST_INVALID : ERROR_CODES.INSPECTOR_UNAVAILABLE;
  const hint = isAccessDenied(error) ? " (is Inspector enabled, and may this principal read it?)" : "";
  return new WshubError(
    code,
    `Inspector in ${region} for ${accountIds.join(", ")}: ${name}: ${awsErrorMessage(error)}${hint}`,
    {
      accountIds,
      region,
      awsError: name,
    },
    { cause: error },
  );
}

export interface InspectorAccessOptions {
  settings: Omit<ClientSettingsInput, "region" | "credentials">;
  credentials: CrossAccountCredentials;
  /** The hub's own credentials when they are not the SDK's default chain (the sandbox passes them explicitly). */
  hubCredentials?: ClientSettingsInput["credentials"];
}

/**
 * Member-role mode: each account is read through its own role (AssumeRole with the external id): findings from
 * Inspector, instances from EC2 (one DescribeInstances page holds 1,000, and Inspector's budget stays with findings).
 */
export class MemberRoleInspectorAccess implements InspectorAccess {
  readonly mode = "member-role" as const;
  readonly maxAccountsPerQuery = 1;

  constructor(
    private readonly options: InspectorAccessOptions,
    private readonly role: { name: string; externalId: string; sessionSeconds?: number },
  ) {}

  async readerFor(accountIds: string[], region: string): Promise<InspectorReader> {
    const [accountId] = accountIds;
    if (accountId === undefined || accountIds.length !== 1)
      throw new WshubError(ERROR_CODES.INSPECTOR_REQUEST_INVALID, "a member role reads exactly one account", {
        accounts: accountIds.length,
      });
    const request = {
      roleArn: roleArnFor(accountId, this.role.name),
      externalId: this.role.externalId,
      durationSeconds: this.role.sessionSeconds ?? 3600,
    };
    // Assume now, so an unreachable account fails here with ACCOUNT_UNREACHABLE rather than mid-page.
    await this.options.credentials.credentials(request);
    const settings = {
      ...this.options.settings,
      region,
      credentials: this.options.credentials.provider(request),
      retryMode: "adaptive" as const,
    };
    const inventory = new Ec2InstanceInventory(new EC2Client(clientSettings("ec2", settings)), accountId, region);
    return new InspectorFindingsReader(new Inspector2Client(clientSettings("inspector2", settings)), region, inventory);
  }
}

/** Delegated-administrator mode: the administrator reads up to 10 accounts a call (`awsAccountId` filter). */
export class DelegatedAdminInspectorAccess implements InspectorAccess {
  readonly mode = "delegated-admin" as const;
  readonly maxAccountsPerQuery = MAX_FILTER_VALUES;
  private readonly clients = new Map<string, Inspector2Client>();

  constructor(
    private readonly options: InspectorAccessOptions,
    /** A role in the administrator account; absent when the hub itself is the delegated administrator. */
    private readonly role?: { roleArn: string; externalId?: string | undefined },
  ) {}

  async readerFor(_accountIds: string[], region: string): Promise<InspectorReader> {
    let client = this.clients.get(region);
    if (!client) {
      const credentials = this.role ? this.options.credentials.provider(this.role) : this.options.hubCredentials;
      client = new Inspector2Client(
        clientSettings("inspector2", {
          ...this.options.settings,
          region,
          ...(credentials ? { credentials } : {}),
          retryMode: "adaptive",
        }),
      );
      this.clients.set(region, client);
    }
    return new InspectorFindingsReader(client, region);
  }
}
