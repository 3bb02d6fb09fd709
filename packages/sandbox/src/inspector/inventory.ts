import type { Scenario, ScenarioFinding, ScenarioInstance } from "../scenario/types.js";

/**
 * The scenario's findings and instances indexed by account once, so a request scans only the accounts the caller
 * may see (a page of a member account never touches the other 2 million findings of a large scenario).
 */
export class Inventory {
  readonly findingsByAccount = new Map<string, ScenarioFinding[]>();
  readonly instancesByAccount = new Map<string, ScenarioInstance[]>();
  readonly instanceById = new Map<string, ScenarioInstance>();
  readonly accountIds: string[];

  private readonly byArn = new Map<string, ScenarioFinding>();

  constructor(scenario: Scenario) {
    for (const finding of scenario.findings) {
      push(this.findingsByAccount, finding.accountId, finding);
      this.byArn.set(finding.findingArn, finding);
    }
    // A stable order for paging: by ARN.
    for (const list of this.findingsByAccount.values()) list.sort(byArn);
    for (const instance of scenario.instances) {
      push(this.instancesByAccount, instance.accountId, instance);
      this.instanceById.set(instance.instanceId, instance);
    }
    this.accountIds = scenario.organization.accounts.map((a) => a.id).sort();
  }

  hasFinding(findingArn: string): boolean {
    return this.byArn.has(findingArn);
  }

  /** A finding Inspector found since (a scenario step). */
  addFinding(finding: ScenarioFinding): void {
    if (this.byArn.has(finding.findingArn)) throw new Error(`finding ${finding.findingArn} exists already`);
    this.byArn.set(finding.findingArn, finding);
    push(this.findingsByAccount, finding.accountId, finding);
    this.findingsByAccount.get(finding.accountId)?.sort(byArn);
  }

  /** A finding closed, suppressed or reopened at `at` (a scenario step). */
  setFindingStatus(findingArn: string, status: ScenarioFinding["status"], at: string): void {
    const finding = this.byArn.get(findingArn);
    if (!finding) throw new Error(`no finding ${findingArn}`);
    finding.status = status;
    finding.updatedAt = at;
    if (status === "ACTIVE") finding.lastObservedAt = at;
  }
}

function byArn(a: ScenarioFinding, b: ScenarioFinding): number {
  return a.findingArn < b.findingArn ? -1 : a.findingArn > b.findingArn ? 1 : 0;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export function epochSeconds(iso: string | undefined): number | undefined {
  if (iso === undefined) return undefined;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms / 1000;
}
