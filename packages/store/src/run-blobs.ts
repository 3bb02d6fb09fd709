import type {
  AccountWafResult,
  ComplianceRow,
  CoveredInstance,
  ExportLedger,
  OrganizationListing,
  RuleCatalog,
  TenantSnapshot,
} from "@wshub/core";
import type { BlobStore } from "./blobs.js";

/**
 * The run's records kept as gzip'd blobs (numbered parts, blobs.ts), shared by the Lambda steps of one run:
 *   RUN#<id>      ORGANIZATION | INSTANCES#<acct> | TENANT#<tenant> | WAF#<acct> | COMPLIANCE#<acct>
 *   ACCOUNT#<id>  EXPORT#<name>
 *   TENANT#<name> RULES (the rule catalog kept between runs)
 */
export class RunBlobRecords {
  constructor(protected readonly blobs: BlobStore) {}

  putOrganization(runId: string, listing: OrganizationListing): Promise<void> {
    return this.blobs.put(runKey(runId), "ORGANIZATION", listing);
  }

  getOrganization(runId: string): Promise<OrganizationListing | undefined> {
    return this.blobs.get<OrganizationListing>(runKey(runId), "ORGANIZATION");
  }

  putInstances(runId: string, accountId: string, instances: CoveredInstance[]): Promise<void> {
    return this.blobs.put(runKey(runId), `INSTANCES#${accountId}`, instances);
  }

  async getInstances(runId: string, accountId: string): Promise<CoveredInstance[]> {
    return (await this.blobs.get<CoveredInstance[]>(runKey(runId), `INSTANCES#${accountId}`)) ?? [];
  }

  putTenantSnapshot(runId: string, snapshot: TenantSnapshot): Promise<void> {
    return this.blobs.put(runKey(runId), `TENANT#${snapshot.tenant}`, snapshot);
  }

  getTenantSnapshot(runId: string, tenant: string): Promise<TenantSnapshot | undefined> {
    return this.blobs.get<TenantSnapshot>(runKey(runId), `TENANT#${tenant}`);
  }

  putRuleCatalog(catalog: RuleCatalog): Promise<void> {
    return this.blobs.put(tenantKey(catalog.tenant), "RULES", catalog);
  }

  getRuleCatalog(tenant: string): Promise<RuleCatalog | undefined> {
    return this.blobs.get<RuleCatalog>(tenantKey(tenant), "RULES");
  }

  async getExportLedger(accountId: string, exportName: string): Promise<ExportLedger> {
    return (await this.blobs.get<ExportLedger>(accountKey(accountId), `EXPORT#${exportName}`)) ?? {};
  }

  putExportLedger(accountId: string, exportName: string, ledger: ExportLedger): Promise<void> {
    return this.blobs.put(accountKey(accountId), `EXPORT#${exportName}`, ledger);
  }

  putWafResult(runId: string, result: AccountWafResult): Promise<void> {
    return this.blobs.put(runKey(runId), `WAF#${result.accountId}`, result);
  }

  getWafResult(runId: string, accountId: string): Promise<AccountWafResult | undefined> {
    return this.blobs.get<AccountWafResult>(runKey(runId), `WAF#${accountId}`);
  }

  putComplianceRows(runId: string, accountId: string, rows: ComplianceRow[]): Promise<void> {
    return this.blobs.put(runKey(runId), `COMPLIANCE#${accountId}`, rows);
  }

  getComplianceRows(runId: string, accountId: string): Promise<ComplianceRow[] | undefined> {
    return this.blobs.get<ComplianceRow[]>(runKey(runId), `COMPLIANCE#${accountId}`);
  }
}

export function runKey(runId: string): string {
  return `RUN#${runId}`;
}

export function tenantKey(tenant: string): string {
  return `TENANT#${tenant}`;
}

export function accountKey(accountId: string): string {
  return `ACCOUNT#${accountId}`;
}
