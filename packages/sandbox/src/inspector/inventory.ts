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

  constructor(scenario: Scenario) {
    for (const finding of scenario.findings) push(this.findingsByAccount, finding.accountId, finding);
    // A stable order for paging: by ARN.
    for (const list of this.findingsByAccount.values())
      list.sort((a, b) => (a.findingArn < b.findingArn ? -1 : a.findingArn > b.findingArn ? 1 : 0));
    for (const instance of scenario.instances) {
      push(this.instancesByAccount, instance.accountId, instance);
      this.instanceById.set(instance.instanceId, instance);
    }
    this.accountIds = scenario.organization.accounts.map((a) => a.id).sort();
  }
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
