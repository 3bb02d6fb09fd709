import {
  DelegatedAdminInspectorAccess,
  HubAccountInspectorAccess,
  MemberRoleInspectorAccess,
  MemberRoleWafAccess,
  OrganizationsAdapter,
  SingleAccountListing,
} from "@wshub/aws";
import {
  organizationMode,
  type CallerIdentity,
  type HubConfig,
  type InspectorAccess,
  type OrganizationReader,
  type WafAccess,
} from "@wshub/core";
import type { HubClients } from "./clients.js";

/** Where the accounts come from and how they are read: the two ports the organization mode decides. */
export interface AccountAccess {
  organization: OrganizationReader;
  inspector: InspectorAccess;
}

/**
 * Single-account mode: the hub's own account (GetCallerIdentity) read with the hub's own credentials. Organization
 * mode: Organizations lists the accounts, a member role or the delegated administrator reads them.
 */
export function accountAccess(
  config: HubConfig,
  clients: HubClients,
  identity: () => Promise<CallerIdentity>,
): AccountAccess {
  if (organizationMode(config) === "single-account")
    return {
      organization: new SingleAccountListing(identity, config.organization.accountName),
      inspector: new HubAccountInspectorAccess({ settings: clients.settings, hubCredentials: clients.hubCredentials }),
    };
  return { organization: new OrganizationsAdapter(clients.organizations), inspector: inspectorAccess(config, clients) };
}

function inspectorAccess(config: HubConfig, clients: HubClients): InspectorAccess {
  const options = {
    settings: clients.settings,
    credentials: clients.credentials,
    hubCredentials: clients.hubCredentials,
  };
  const role = config.collection.memberRole;
  if (config.collection.mode === "member-role" && role)
    return new MemberRoleInspectorAccess(options, {
      name: role.name,
      externalId: role.externalId,
      sessionSeconds: role.sessionSeconds,
    });
  const admin = config.collection.delegatedAdmin;
  return new DelegatedAdminInspectorAccess(
    options,
    admin.roleArn ? { roleArn: admin.roleArn, externalId: admin.externalId } : undefined,
  );
}

/**
 * The WAF check's access when `waf.mode` is not `off`: reads through each account's member role (single-account
 * mode: the hub's own credentials), writes only through the separate `waf.writeRoleName` role, which only an apply
 * or a rollback assumes. Organization mode without a member role has no way into the accounts: no access.
 */
export function wafAccess(config: HubConfig, clients: HubClients): WafAccess | undefined {
  if (config.waf.mode === "off") return undefined;
  const options = {
    settings: clients.settings,
    credentials: clients.credentials,
    hubCredentials: clients.hubCredentials,
  };
  const role = config.collection.memberRole;
  const single = organizationMode(config) === "single-account";
  if (!single && !role) return undefined;
  return new MemberRoleWafAccess(options, {
    ...(role
      ? { memberRole: { name: role.name, externalId: role.externalId, sessionSeconds: role.sessionSeconds } }
      : {}),
    readWithHubCredentials: single,
    writeRoleName: config.waf.writeRoleName,
  });
}
