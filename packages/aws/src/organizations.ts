import {
  paginateListAccountsForParent,
  paginateListOrganizationalUnitsForParent,
  paginateListRoots,
  paginateListTagsForResource,
  type Account,
  type OrganizationsClient,
} from "@aws-sdk/client-organizations";
import {
  ERROR_CODES,
  mapWithConcurrency,
  WshubError,
  type AccountStatus,
  type OrganizationListing,
  type OrganizationReader,
  type OrganizationalUnitRef,
  type OrgAccount,
} from "@wshub/core";

import { awsErrorMessage, awsErrorName } from "./sdk-errors.js";

type OuNode = OrganizationalUnitRef & { parentId: string; path: OrganizationalUnitRef[] };

/**
 * Lists the organization by walking it from the root: OUs per parent, accounts per parent (so every account's OU path
 * comes for free, without one ListParents call per account), then tags per account.
 * Calls: OUs + (OUs + roots) for accounts + one ListTagsForResource per account (more pages only for many tags).
 */
export class OrganizationsAdapter implements OrganizationReader {
  constructor(
    private readonly client: OrganizationsClient,
    private readonly tagConcurrency = 5,
  ) {}

  async listOrganization(): Promise<OrganizationListing> {
    try {
      const roots = await this.roots();
      const nodes = await this.organizationalUnits(roots);
      const parents: { id: string; path: OrganizationalUnitRef[] }[] = [
        ...roots.map((id) => ({ id, path: [] })),
        ...nodes.map((node) => ({ id: node.id, path: node.path })),
      ];
      const placed = (
        await mapWithConcurrency(parents, this.tagConcurrency, (parent) => this.accountsUnder(parent))
      ).flat();
      const accounts = await mapWithConcurrency(placed, this.tagConcurrency, ({ account, path }) =>
        this.toOrgAccount(account, path),
      );
      accounts.sort((a, b) => (a.id < b.id ? -1 : 1));
      return { accounts, organizationalUnits: nodes.map(({ id, name, parentId }) => ({ id, name, parentId })) };
    } catch (error) {
      if (error instanceof WshubError) throw error;
      throw new WshubError(
        ERROR_CODES.ORGANIZATION_UNAVAILABLE,
        `cannot list the organization: ${awsErrorName(error)}: ${awsErrorMessage(error)}`,
        { awsError: awsErrorName(error) },
        { cause: error },
      );
    }
  }

  private async roots(): Promise<string[]> {
    const ids: string[] = [];
    for await (const page of paginateListRoots({ client: this.client }, {})) {
      for (const root of page.Roots ?? []) if (root.Id) ids.push(root.Id);
    }
    return ids;
  }

  /** Breadth-first, one level at a time (each level's parents in parallel). */
  private async organizationalUnits(roots: string[]): Promise<OuNode[]> {
    const all: OuNode[] = [];
    let level = roots.map((id) => ({ id, path: [] as OrganizationalUnitRef[] }));
    while (level.length > 0) {
      const children = (
        await mapWithConcurrency(level, this.tagConcurrency, async (parent) => {
          const found: OuNode[] = [];
          for await (const page of paginateListOrganizationalUnitsForParent(
            { client: this.client },
            { ParentId: parent.id },
          )) {
            for (const ou of page.OrganizationalUnits ?? []) {
              if (!ou.Id) continue;
              const ref = { id: ou.Id, name: ou.Name ?? ou.Id };
              found.push({ ...ref, parentId: parent.id, path: [...parent.path, ref] });
            }
          }
          return found;
        })
      ).flat();
      all.push(...children);
      level = children.map((child) => ({ id: child.id, path: child.path }));
    }
    return all;
  }

  private async accountsUnder(parent: {
    id: string;
    path: OrganizationalUnitRef[];
  }): Promise<{ account: Account; path: OrganizationalUnitRef[] }[]> {
    const found: { account: Account; path: OrganizationalUnitRef[] }[] = [];
    // Pages may be empty yet carry a NextToken; the paginator keeps going until the token is gone.
    for await (const page of paginateListAccountsForParent({ client: this.client }, { ParentId: parent.id })) {
      for (const account of page.Accounts ?? []) found.push({ account, path: parent.path });
    }
    return found;
  }

  private async toOrgAccount(account: Account, path: OrganizationalUnitRef[]): Promise<OrgAccount> {
    const id = account.Id ?? "";
    return {
      id,
      name: account.Name ?? id,
      email: account.Email ?? "",
      status: statusOf(account),
      ouPath: path,
      tags: await this.tags(id),
    };
  }

  private async tags(accountId: string): Promise<Record<string, string>> {
    const tags: Record<string, string> = {};
    for await (const page of paginateListTagsForResource({ client: this.client }, { ResourceId: accountId })) {
      for (const tag of page.Tags ?? []) if (tag.Key) tags[tag.Key] = tag.Value ?? "";
    }
    return tags;
  }
}

function statusOf(account: Account): AccountStatus {
  // `Status` is deprecated in favour of `State` (ACTIVE, SUSPENDED, PENDING_CLOSURE, CLOSED...); read both.
  const state = (account as { State?: string }).State ?? account.Status;
  if (state === "SUSPENDED" || state === "CLOSED") return "SUSPENDED";
  if (state === "PENDING_CLOSURE") return "PENDING_CLOSURE";
  return "ACTIVE";
}
