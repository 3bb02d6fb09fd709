import {
  CloseAccountCommand,
  CreateAccountCommand,
  CreateOrganizationCommand,
  CreateOrganizationalUnitCommand,
  ListRootsCommand,
  MoveAccountCommand,
  TagResourceCommand,
  type Tag,
} from "@aws-sdk/client-organizations";
import { ERROR_CODES, WshubError } from "@wshub/core";
import type { Scenario, ScenarioAccount, ScenarioOrganizationalUnit } from "../../scenario/types.js";
import { announceIds } from "../moto-server.js";
import type { SeedClients } from "./clients.js";
import { forEachLimited } from "./parallel.js";

/**
 * The organization as the management account builds it: CreateOrganization, the OU tree level by level,
 * CreateAccount for every other account (with its tags), MoveAccount into its OU, CloseAccount for the suspended.
 * The scenario's ids are announced to the launcher before each create call.
 */
export async function seedOrganization(
  clients: SeedClients,
  motoEndpoint: string,
  scenario: Scenario,
  concurrency: number,
): Promise<void> {
  const { managementAccountId, accounts } = scenario.organization;
  const management = accounts.find((a) => a.id === managementAccountId);
  const members = accounts.filter((a) => a.id !== managementAccountId);
  assertUniqueEmails(accounts);
  await announceIds(motoEndpoint, {
    accounts: Object.fromEntries(members.map((a) => [a.email, a.id])),
    ...(management ? { managementAccount: { name: management.name, email: management.email } } : {}),
  });
  await clients.as(managementAccountId, async () => {
    const org = clients.organizations;
    await org.send(new CreateOrganizationCommand({ FeatureSet: "ALL" }));
    const roots = await org.send(new ListRootsCommand({}));
    const rootId = roots.Roots?.[0]?.Id ?? "";
    await createOrganizationalUnits(
      clients,
      motoEndpoint,
      rootId,
      scenario.organization.organizationalUnits,
      concurrency,
    );
    await forEachLimited(members, concurrency, (account) => createMemberAccount(clients, rootId, account));
    if (management) await placeAccount(clients, rootId, management);
  });
}

function assertUniqueEmails(accounts: ScenarioAccount[]): void {
  const seen = new Set<string>();
  for (const account of accounts) {
    if (seen.has(account.email.toLowerCase())) {
      throw new WshubError(ERROR_CODES.SCENARIO_INVALID, `two accounts share the e-mail ${account.email}`, {
        accountId: account.id,
        email: account.email,
      });
    }
    seen.add(account.email.toLowerCase());
  }
}

/** Parents before children: one level at a time, each level in parallel. */
async function createOrganizationalUnits(
  clients: SeedClients,
  motoEndpoint: string,
  rootId: string,
  units: ScenarioOrganizationalUnit[],
  concurrency: number,
): Promise<void> {
  const parentIdOf = (unit: ScenarioOrganizationalUnit) => (unit.parentId === "root" ? rootId : unit.parentId);
  let created = new Set<string>([rootId]);
  let pending = units;
  while (pending.length > 0) {
    const ready = pending.filter((unit) => created.has(parentIdOf(unit)));
    if (ready.length === 0) {
      throw new WshubError(
        ERROR_CODES.SCENARIO_INVALID,
        `organizational units without a reachable parent: ${pending.map((u) => u.id).join(", ")}`,
        {
          organizationalUnits: pending.map((u) => u.id),
        },
      );
    }
    await announceIds(motoEndpoint, {
      organizationalUnits: ready.map((unit) => ({ parentId: parentIdOf(unit), name: unit.name, id: unit.id })),
    });
    await forEachLimited(ready, concurrency, async (unit) => {
      const answer = await clients.organizations.send(
        new CreateOrganizationalUnitCommand({ ParentId: parentIdOf(unit), Name: unit.name }),
      );
      expectId("organizational unit", unit.id, answer.OrganizationalUnit?.Id);
    });
    created = new Set([...created, ...ready.map((unit) => unit.id)]);
    pending = pending.filter((unit) => !ready.includes(unit));
  }
}

async function createMemberAccount(clients: SeedClients, rootId: string, account: ScenarioAccount): Promise<void> {
  const answer = await clients.organizations.send(
    new CreateAccountCommand({ Email: account.email, AccountName: account.name, Tags: tagList(account.tags) }),
  );
  expectId("account", account.id, answer.CreateAccountStatus?.AccountId);
  await placeAccount(clients, rootId, account, false);
}

/** Move into the OU, tag (the management account, which CreateAccount did not tag), and suspend. */
async function placeAccount(clients: SeedClients, rootId: string, account: ScenarioAccount, tag = true): Promise<void> {
  const org = clients.organizations;
  if (account.ouId !== "root") {
    await org.send(
      new MoveAccountCommand({ AccountId: account.id, SourceParentId: rootId, DestinationParentId: account.ouId }),
    );
  }
  if (tag && Object.keys(account.tags).length > 0) {
    await org.send(new TagResourceCommand({ ResourceId: account.id, Tags: tagList(account.tags) }));
  }
  if (account.status === "SUSPENDED") await org.send(new CloseAccountCommand({ AccountId: account.id }));
}

function tagList(tags: Record<string, string>): Tag[] {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

function expectId(kind: string, wanted: string, got: string | undefined): void {
  if (got !== wanted) {
    throw new WshubError(ERROR_CODES.SANDBOX_FAILED, `moto created ${kind} ${got ?? "(none)"} instead of ${wanted}`, {
      wanted,
      got: got ?? null,
    });
  }
}
