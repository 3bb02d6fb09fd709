import { UpdateWebACLCommand, type Rule, type WAFV2Client, type WebACL } from "@aws-sdk/client-wafv2";
import type { LiveWebAcl, RuleGroupAddition, WafWriter, WebAclEdit, WebAclUndo, WebAclWrite } from "@wshub/core";
import type { RequestTally } from "./paging.js";
import { awsErrorName } from "./sdk-errors.js";
import { parseWebAclArn, readLiveWebAcl, wafFailure } from "./waf.js";

/** UpdateWebACL attempts before a WebACL that keeps changing under us is given up (each after a fresh GetWebACL). */
export const MAX_LOCK_ATTEMPTS = 5;

type Decide = (current: LiveWebAcl) => { rules: Rule[] | undefined };

/**
 * Changes WebACLs through the WAF write role. Every change is read-decide-write with the lock token WAF handed out
 * with the read; when someone else changed the WebACL in between (WAFOptimisticLockException) it is read again and
 * decided again from what is there now, so their change survives. Only `Rules` changes: the default action,
 * visibility, custom responses and every other field are sent back exactly as read.
 */
export class AwsWafWriter implements WafWriter {
  readonly tally: RequestTally = { calls: 0 };

  constructor(
    private readonly clients: { wafv2: WAFV2Client; wafv2Global: WAFV2Client },
    private readonly accountId: string,
    private readonly region: string,
  ) {}

  editWebAcl(arn: string, decide: (current: LiveWebAcl) => WebAclEdit): Promise<WebAclWrite> {
    return this.write(arn, (current) => {
      const edit = decide(current);
      if (edit.add.length === 0 && edit.removeNames.length === 0) return { rules: undefined };
      const before: Rule[] = JSON.parse(current.rulesDocument);
      const removed = new Set(edit.removeNames);
      return { rules: [...before.filter((r) => !removed.has(r.Name ?? "")), ...edit.add.map(countModeRule)] };
    });
  }

  restoreRules(arn: string, rulesDocument: string): Promise<WebAclWrite> {
    return this.write(arn, (current) =>
      current.rulesDocument === rulesDocument ? { rules: undefined } : { rules: JSON.parse(rulesDocument) },
    );
  }

  async undoRules(arn: string, undo: WebAclUndo): Promise<WebAclWrite & { exact: boolean }> {
    let exact = false;
    const result = await this.write(arn, (current) => {
      const untouched = current.rulesDocument === undo.rulesAfter;
      exact = untouched || current.rulesDocument === undo.rulesBefore;
      if (current.rulesDocument === undo.rulesBefore) return { rules: undefined };
      if (untouched) return { rules: JSON.parse(undo.rulesBefore) };
      const rules: Rule[] = JSON.parse(current.rulesDocument);
      const removed = new Set(undo.addedNames);
      const kept = rules.filter((r) => !removed.has(r.Name ?? ""));
      exact = kept.length < rules.length && JSON.stringify(kept) === undo.rulesBefore;
      return kept.length === rules.length ? { rules: undefined } : { rules: kept };
    });
    return { ...result, exact };
  }

  private async write(arn: string, decide: Decide): Promise<WebAclWrite> {
    const client = parseWebAclArn(arn).scope === "CLOUDFRONT" ? this.clients.wafv2Global : this.clients.wafv2;
    for (let attempt = 1; ; attempt++) {
      const before = await this.read(client, arn);
      const { rules } = decide(before);
      if (!rules) return { changed: false, before, after: before, attempts: attempt - 1 };
      try {
        this.tally.calls++;
        await client.send(new UpdateWebACLCommand(updateOf(arn, before.webAcl, rules, before.lockToken)));
        return { changed: true, before, after: await this.read(client, arn), attempts: attempt };
      } catch (error) {
        if (awsErrorName(error) !== "WAFOptimisticLockException" || attempt >= MAX_LOCK_ATTEMPTS)
          throw this.failure("wafv2:UpdateWebACL", error);
      }
    }
  }

  private read(client: WAFV2Client, arn: string) {
    return readLiveWebAcl(client, arn, this.tally, (e) => this.failure("wafv2:GetWebACL", e));
  }

  private failure(operation: string, error: unknown) {
    return wafFailure({ operation, error, accountId: this.accountId, region: this.region });
  }
}

/** A managed rule group that only counts: OverrideAction Count, so it can be watched before it blocks anything. */
export function countModeRule(addition: RuleGroupAddition): Rule {
  return {
    Name: addition.ruleName,
    Priority: addition.priority,
    Statement: {
      ManagedRuleGroupStatement: { VendorName: addition.group.vendorName, Name: addition.group.name },
    },
    OverrideAction: { Count: {} },
    VisibilityConfig: {
      SampledRequestsEnabled: true,
      CloudWatchMetricsEnabled: true,
      MetricName: addition.ruleName.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 128),
    },
  };
}

/** UpdateWebACL replaces the whole WebACL: every field is sent back as read, only the rules are new. */
function updateOf(arn: string, acl: WebACL, rules: Rule[], lockToken: string) {
  const { scope, name, id } = parseWebAclArn(arn);
  return {
    Scope: scope,
    Name: name,
    Id: id,
    LockToken: lockToken,
    DefaultAction: acl.DefaultAction,
    VisibilityConfig: acl.VisibilityConfig,
    Rules: rules,
    ...(acl.Description !== undefined ? { Description: acl.Description } : {}),
    ...(acl.CustomResponseBodies ? { CustomResponseBodies: acl.CustomResponseBodies } : {}),
    ...(acl.CaptchaConfig ? { CaptchaConfig: acl.CaptchaConfig } : {}),
    ...(acl.ChallengeConfig ? { ChallengeConfig: acl.ChallengeConfig } : {}),
    ...(acl.TokenDomains ? { TokenDomains: acl.TokenDomains } : {}),
    ...(acl.AssociationConfig ? { AssociationConfig: acl.AssociationConfig } : {}),
    ...(acl.DataProtectionConfig ? { DataProtectionConfig: acl.DataProtectionConfig } : {}),
  };
}
