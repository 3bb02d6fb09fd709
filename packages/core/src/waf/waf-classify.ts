import {
  BASELINE_GROUPS,
  CLASS_GROUPS,
  CLASSIFICATION_TABLE,
  INSTANCE_CLASSES,
  WINDOWS_SWAP,
  type ClassPattern,
  type InstanceClass,
  type ManagedGroupRef,
} from "./waf-data.js";

/** What the tenant snapshot says about one protected instance, names resolved from the tenant's own catalogue. */
export interface ProtectedInstance {
  instanceId: string;
  computerId: number;
  policyId: number;
  policyName: string;
  /** Names of the IPS application types of the policy and of the rules it assigns (`/applicationtypes`). */
  applicationTypes: string[];
  /** Names of the IPS rules assigned to the computer (effective). */
  ruleNames: string[];
  /** The operating system, when known (chooses the Linux or Windows group). */
  platform?: string;
}

/** The classes an instance belongs to (several at once: a CMS is also a web server), in table order. */
export function classifyInstance(
  instance: Pick<ProtectedInstance, "applicationTypes" | "ruleNames">,
  table: readonly ClassPattern[] = CLASSIFICATION_TABLE,
): InstanceClass[] {
  const found = new Set<InstanceClass>();
  for (const row of table) if (matches(row, instance)) found.add(row.class);
  return INSTANCE_CLASSES.filter((c) => found.has(c));
}

function matches(row: ClassPattern, instance: Pick<ProtectedInstance, "applicationTypes" | "ruleNames">): boolean {
  const byType = new RegExp(row.applicationType, "i");
  if (instance.applicationTypes.some((name) => byType.test(name))) return true;
  if (!row.ruleName) return false;
  const byRule = new RegExp(row.ruleName, "i");
  return instance.ruleNames.some((name) => byRule.test(name));
}

/** The managed rule groups the classes call for: the baseline whenever any class applies, then each class's own. */
export function groupsForClasses(classes: InstanceClass[], platform?: string): ManagedGroupRef[] {
  if (classes.length === 0) return [];
  const windows = platform !== undefined && /windows/i.test(platform);
  const groups = [...BASELINE_GROUPS, ...classes.flatMap((c) => CLASS_GROUPS[c])].map((group) =>
    windows && group.name === WINDOWS_SWAP.from ? { ...group, name: WINDOWS_SWAP.to } : group,
  );
  return uniqueGroups(groups);
}

export function groupKey(group: ManagedGroupRef): string {
  return `${group.vendorName}/${group.name}`;
}

export function uniqueGroups(groups: ManagedGroupRef[]): ManagedGroupRef[] {
  const seen = new Map<string, ManagedGroupRef>();
  for (const group of groups) if (!seen.has(groupKey(group))) seen.set(groupKey(group), group);
  return [...seen.values()];
}
