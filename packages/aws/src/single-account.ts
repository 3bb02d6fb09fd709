import { EC2Client } from "@aws-sdk/client-ec2";
import { Inspector2Client } from "@aws-sdk/client-inspector2";
import {
  ERROR_CODES,
  WshubError,
  type CallerIdentity,
  type InspectorAccess,
  type InspectorReader,
  type OrganizationListing,
  type OrganizationReader,
} from "@wshub/core";
import { clientSettings, type ClientSettingsInput } from "./client-settings.js";
import { Ec2InstanceInventory } from "./ec2.js";
import { asCredentialsError } from "./hub-credentials.js";
import { InspectorFindingsReader } from "./inspector.js";
import { awsErrorMessage, awsErrorName } from "./sdk-errors.js";

/**
 * Single-account mode's "organization": the hub's own account (STS GetCallerIdentity), active, under no OU, without
 * tags. No Organizations call is made, so the hub needs neither a management account nor Organizations at all.
 */
export class SingleAccountListing implements OrganizationReader {
  constructor(
    private readonly identity: () => Promise<CallerIdentity>,
    /** The account's name in reports (default: its id). */
    private readonly accountName?: string,
  ) {}

  async listOrganization(): Promise<OrganizationListing> {
    const { accountId } = await this.identity().catch((error: unknown) => {
      throw asCredentialsError(error) ?? identityError(error);
    });
    if (!/^\d{12}$/.test(accountId))
      throw new WshubError(ERROR_CODES.ORGANIZATION_UNAVAILABLE, "STS GetCallerIdentity named no account", {
        accountId,
      });
    const account = {
      id: accountId,
      name: this.accountName ?? accountId,
      email: "",
      status: "ACTIVE" as const,
      ouPath: [],
      tags: {},
    };
    return { accounts: [account], organizationalUnits: [] };
  }
}

function identityError(error: unknown): WshubError {
  return new WshubError(
    ERROR_CODES.ORGANIZATION_UNAVAILABLE,
    `cannot identify the hub's own account (STS GetCallerIdentity): ${awsErrorName(error)}: ${awsErrorMessage(error)}`,
    { awsError: awsErrorName(error) },
    { cause: error },
  );
}

export interface HubAccountAccessOptions {
  settings: Omit<ClientSettingsInput, "region" | "credentials">;
  /** The hub's own credentials (absent: the SDK's default chain). */
  hubCredentials?: ClientSettingsInput["credentials"];
}

/**
 * Single-account mode's reader: the hub's own Inspector findings and EC2 inventory, with the hub's own credentials
 * (no role assumed), as a member role would read them. One client pair per region, shared by the run.
 */
export class HubAccountInspectorAccess implements InspectorAccess {
  readonly mode = "single-account" as const;
  readonly maxAccountsPerQuery = 1;
  private readonly clients = new Map<string, { ec2: EC2Client; inspector: Inspector2Client }>();

  constructor(private readonly options: HubAccountAccessOptions) {}

  async readerFor(accountIds: string[], region: string): Promise<InspectorReader> {
    const [accountId] = accountIds;
    if (accountId === undefined || accountIds.length !== 1)
      throw new WshubError(ERROR_CODES.INSPECTOR_REQUEST_INVALID, "single-account mode reads exactly one account", {
        accounts: accountIds.length,
      });
    const clients = this.clients.get(region) ?? this.clientsIn(region);
    this.clients.set(region, clients);
    return new InspectorFindingsReader(
      clients.inspector,
      region,
      new Ec2InstanceInventory(clients.ec2, accountId, region),
    );
  }

  private clientsIn(region: string): { ec2: EC2Client; inspector: Inspector2Client } {
    const { hubCredentials } = this.options;
    const settings = {
      ...this.options.settings,
      region,
      ...(hubCredentials ? { credentials: hubCredentials } : {}),
      retryMode: "adaptive" as const,
    };
    return {
      ec2: new EC2Client(clientSettings("ec2", settings)),
      inspector: new Inspector2Client(clientSettings("inspector2", settings)),
    };
  }
}
