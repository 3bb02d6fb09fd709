/** One evaluation as Config keeps it: the latest (by ordering timestamp) per rule and resource. */
export interface StoredEvaluation {
  ruleName: string;
  accountId: string;
  region: string;
  resourceType: string;
  resourceId: string;
  complianceType: string;
  annotation?: string;
  orderingTimestamp: number;
  recordedAt: number;
}

export interface TokenGrant {
  ruleName: string;
  accountId: string;
  region: string;
}

/** A recorded configuration item (what GetResourceConfigHistory answers for instances moto does not record). */
export interface RecordedItem {
  accountId: string;
  region: string;
  resourceType: string;
  resourceId: string;
  status: string;
  captureTime: string;
  configuration: Record<string, unknown>;
}

/** Config's state in the sandbox: result tokens issued with invocations, evaluations put, items recorded. */
export class ConfigStore {
  private readonly tokens = new Map<string, TokenGrant>();
  private readonly evaluations = new Map<string, StoredEvaluation>();
  private readonly items = new Map<string, RecordedItem[]>();
  private nextToken = 1;
  /** PutEvaluations calls accepted (TestMode included), for tests and the bench. */
  putCalls = 0;

  issueToken(grant: TokenGrant): string {
    const token = `sandbox-result-token-${this.nextToken++}-${grant.accountId}`;
    this.tokens.set(token, grant);
    return token;
  }

  grantOf(token: string): TokenGrant | undefined {
    return this.tokens.get(token);
  }

  put(evaluation: StoredEvaluation): void {
    const key = [
      evaluation.accountId,
      evaluation.region,
      evaluation.ruleName,
      evaluation.resourceType,
      evaluation.resourceId,
    ].join("|");
    const current = this.evaluations.get(key);
    if (!current || current.orderingTimestamp <= evaluation.orderingTimestamp) this.evaluations.set(key, evaluation);
  }

  /** The rule's evaluations in the caller's account and region. */
  byRule(where: { accountId: string; region: string }, ruleName: string): StoredEvaluation[] {
    return this.all(where).filter((e) => e.ruleName === ruleName);
  }

  all(where: { accountId: string; region: string }): StoredEvaluation[] {
    return [...this.evaluations.values()]
      .filter((e) => e.accountId === where.accountId && e.region === where.region)
      .sort((a, b) =>
        a.resourceId < b.resourceId ? -1 : a.resourceId > b.resourceId ? 1 : a.ruleName < b.ruleName ? -1 : 1,
      );
  }

  record(item: RecordedItem): void {
    const key = itemKey(item);
    this.items.set(key, [...(this.items.get(key) ?? []), item]);
  }

  /** The latest item captured at or before `laterTime`. */
  history(
    where: Omit<RecordedItem, "status" | "captureTime" | "configuration">,
    laterTime: number,
  ): RecordedItem | undefined {
    const items = (this.items.get(itemKey(where)) ?? []).filter((i) => Date.parse(i.captureTime) <= laterTime);
    return items.sort((a, b) => Date.parse(b.captureTime) - Date.parse(a.captureTime))[0];
  }

  reset(): void {
    this.evaluations.clear();
    this.putCalls = 0;
  }
}

function itemKey(item: Pick<RecordedItem, "accountId" | "region" | "resourceType" | "resourceId">): string {
  return [item.accountId, item.region, item.resourceType, item.resourceId].join("|");
}
