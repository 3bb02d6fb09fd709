import type { TenantSnapshot, WafAccess, WafReader, WorkloadSecurityTenantApi } from "@wshub/core";

/**
 * The tenant of the WAF scenario: a web server (Apache rules, type "Web Server Common") behind the `web` ALB, a
 * WordPress CMS behind `cms` (and the distribution in front of it), a web server behind the unprotected `bare` ALB.
 * Names are resolved from its application types, as a tenant's `/applicationtypes` lists them.
 */
export const WAF_TENANT_SNAPSHOT: TenantSnapshot = {
  tenant: "web",
  fetchedAt: "2026-03-04T12:00:00.000Z",
  rules: [
    {
      id: 11,
      identifier: "1000001",
      name: "Apache HTTP Server DoS",
      cves: [],
      detectOnly: false,
      applicationTypeId: 1,
    },
    { id: 12, identifier: "1000002", name: "WordPress XSS", cves: [], detectOnly: false, applicationTypeId: 2 },
  ],
  policies: [
    { id: 1, name: "Linux Web" },
    { id: 2, name: "WordPress" },
  ],
  computers: [
    { id: 501, hostName: "web1", policyId: 1, instanceId: "i-0000000000000web1", ipsRuleIds: [11] },
    { id: 502, hostName: "cms1", policyId: 2, instanceId: "i-0000000000000cms1", ipsRuleIds: [11, 12] },
    { id: 503, hostName: "bar1", policyId: 1, instanceId: "i-0000000000000bar1", ipsRuleIds: [11] },
  ],
};

const notUsed = (): never => {
  throw new Error("not used by the WAF check");
};

/** The tenant API of that snapshot (the WAF check reads only the snapshot and the application types). */
export function wafTenantApi(): WorkloadSecurityTenantApi {
  return {
    tenant: "web",
    calls: 0,
    loadSnapshot: async () => WAF_TENANT_SNAPSHOT,
    loadApplicationTypes: async () => [
      { id: 1, name: "Web Server Common" },
      { id: 2, name: "Web Application WordPress" },
    ],
    loadComplianceFleet: notUsed,
    addRules: notUsed,
    removeRule: notUsed,
    directRuleIds: notUsed,
  };
}

/** The AWS Managed Rules catalogue, which moto 5.2.1 does not serve (ListAvailableManagedRuleGroups). */
export const AWS_CATALOGUE = [
  "AWSManagedRulesCommonRuleSet",
  "AWSManagedRulesKnownBadInputsRuleSet",
  "AWSManagedRulesLinuxRuleSet",
  "AWSManagedRulesUnixRuleSet",
  "AWSManagedRulesWindowsRuleSet",
  "AWSManagedRulesPHPRuleSet",
  "AWSManagedRulesWordPressRuleSet",
  "AWSManagedRulesSQLiRuleSet",
].map((name) => ({ vendorName: "AWS", name }));

/** The runtime's access, with the catalogue answered as the sandbox's WAF front will (everything else: moto). */
export function withCatalogue(access: WafAccess): WafAccess {
  return {
    readerFor: async (accountId, region) => {
      const reader = await access.readerFor(accountId, region);
      const answer: WafReader = {
        loadBalancers: () => reader.loadBalancers(),
        distributions: () => reader.distributions(),
        readWebAcl: (arn) => reader.readWebAcl(arn),
        availableGroups: async () => AWS_CATALOGUE,
        get calls() {
          return reader.calls;
        },
      };
      return answer;
    },
    writerFor: (accountId, region) => access.writerFor(accountId, region),
  };
}
