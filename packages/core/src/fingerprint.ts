import type { CoveredInstance } from "./finding.js";
import type { TenantSnapshot } from "./workload-security.js";

/**
 * A fast 64-bit non-cryptographic digest (two 32-bit FNV-1a lanes with different offsets), as 16 hex characters.
 * For change detection only, never for security.
 */
export function digest(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x9e3779b9;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193) ^ (a >>> 15);
  }
  return (a >>> 0).toString(16).padStart(8, "0") + (b >>> 0).toString(16).padStart(8, "0");
}

/** Everything in a tenant's snapshot that coverage evaluation reads; equal fingerprints give equal coverage. */
export function tenantFingerprint(snapshot: TenantSnapshot): string {
  const parts: string[] = [];
  for (const r of [...snapshot.rules].sort((x, y) => x.id - y.id))
    parts.push(`r${r.id}|${r.identifier}|${r.name}|${r.detectOnly ? 1 : 0}|${r.cves.join(",")}`);
  for (const c of [...snapshot.computers].sort((x, y) => x.id - y.id))
    parts.push(
      `c${c.id}|${c.hostName}|${c.displayName ?? ""}|${c.policyId}|${c.instanceId ?? ""}|${c.agentStatus ?? ""}|${c.ipsState ?? ""}|${c.lastAgentCommunication ?? ""}|${[...c.ipsRuleIds].sort((x, y) => x - y).join(",")}`,
    );
  return digest(parts.join("\n"));
}

export function instancesFingerprint(instances: CoveredInstance[]): string {
  return digest(
    instances
      .map((i) => `${i.accountId}|${i.region}|${i.instanceId}|${i.name ?? ""}|${i.state ?? ""}|${i.scanStatus ?? ""}`)
      .sort()
      .join("\n"),
  );
}
