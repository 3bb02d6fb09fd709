import { CloudFrontClient } from "@aws-sdk/client-cloudfront";
import { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { WAFV2Client } from "@aws-sdk/client-wafv2";
import type { WafAccess, WafReader, WafWriter } from "@wshub/core";
import { clientSettings, type ClientSettingsInput } from "./client-settings.js";
import { roleArnFor, type RoleRequest } from "./credentials.js";
import type { InspectorAccessOptions } from "./inspector.js";
import { AwsWafReader } from "./waf.js";
import { AwsWafWriter } from "./waf-writer.js";

/** CloudFront, and WAF's CLOUDFRONT scope, are served from us-east-1. */
export const CLOUDFRONT_REGION = "us-east-1";

export interface WafRoles {
  /** The member role (reads, and its external id for the write role). */
  memberRole?: { name: string; externalId: string; sessionSeconds?: number | undefined };
  /** Single-account mode (or no member role): reads use the hub's own credentials. */
  readWithHubCredentials?: boolean;
  /** The separate WAF write role, deployed only when apply is chosen (the member role's external id, if any). */
  writeRoleName: string;
}

/**
 * Reads through each account's member role (or, in single-account mode, with the hub's own credentials), writes
 * through its WAF write role; one helper assumes both.
 */
export class MemberRoleWafAccess implements WafAccess {
  constructor(
    private readonly options: InspectorAccessOptions,
    private readonly roles: WafRoles,
  ) {}

  async readerFor(accountId: string, region: string): Promise<WafReader> {
    const role = this.roles.memberRole;
    const settings =
      role && !this.roles.readWithHubCredentials ? await this.settingsFor(accountId, role.name) : this.hubSettings();
    const at = (r: string) => ({ ...settings, region: r });
    return new AwsWafReader(
      {
        elbv2: new ElasticLoadBalancingV2Client(clientSettings("elasticloadbalancing", at(region))),
        wafv2: new WAFV2Client(clientSettings("wafv2", at(region))),
        wafv2Global: new WAFV2Client(clientSettings("wafv2", at(CLOUDFRONT_REGION))),
        cloudfront: new CloudFrontClient(clientSettings("cloudfront", at(CLOUDFRONT_REGION))),
      },
      accountId,
      region,
    );
  }

  async writerFor(accountId: string, region: string): Promise<WafWriter> {
    const settings = await this.settingsFor(accountId, this.roles.writeRoleName);
    return new AwsWafWriter(
      {
        wafv2: new WAFV2Client(clientSettings("wafv2", { ...settings, region })),
        wafv2Global: new WAFV2Client(clientSettings("wafv2", { ...settings, region: CLOUDFRONT_REGION })),
      },
      accountId,
      region,
    );
  }

  private hubSettings(): Omit<ClientSettingsInput, "region"> {
    const { hubCredentials } = this.options;
    return { ...this.options.settings, ...(hubCredentials ? { credentials: hubCredentials } : {}) };
  }

  /** Assume now, so an unreachable account fails here (ACCOUNT_UNREACHABLE) rather than mid-inventory. */
  private async settingsFor(accountId: string, roleName: string): Promise<Omit<ClientSettingsInput, "region">> {
    const request: RoleRequest = {
      roleArn: roleArnFor(accountId, roleName),
      externalId: this.roles.memberRole?.externalId,
      durationSeconds: this.roles.memberRole?.sessionSeconds ?? 3600,
    };
    await this.options.credentials.credentials(request);
    return { ...this.options.settings, credentials: this.options.credentials.provider(request) };
  }
}
