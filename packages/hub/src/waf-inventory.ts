import {
  frontDoorsOf,
  mapWithConcurrency,
  summarizeError,
  type LiveWebAcl,
  type ManagedGroupRef,
  type RunError,
  type WafAccess,
  type WafFrontDoor,
  type WafReader,
  type WebAclRead,
} from "@wshub/core";

/** WebACLs read at once within one account. */
const WEBACL_READ_CONCURRENCY = 4;

/** One account's WAF inventory: complete, or `partial` (a region or the CloudFront listing failed). */
export interface AccountWafInventory {
  accountId: string;
  doors: WafFrontDoor[];
  webAcls: Map<string, WebAclRead>;
  /** The WebACLs as read, with their lock tokens and rules (the before-state of a change). */
  live: Map<string, LiveWebAcl>;
  available: { regional?: ManagedGroupRef[]; cloudfront?: ManagedGroupRef[] };
  /** When the inventory was read (no change is made from a stale one). */
  readAt: string;
  partial: boolean;
  errors: RunError[];
  calls: number;
}

/**
 * Read one account: its ALBs in every region, its CloudFront distributions once (global), every WebACL they name, and
 * the managed rule group catalogue. A WebACL that cannot be read is recorded with its reason and the rest continues; a
 * region that cannot be listed makes the inventory partial (recommendations stay, changes are not made).
 */
export async function readAccountWaf(
  access: WafAccess,
  input: { accountId: string; regions: string[]; now: () => Date },
): Promise<AccountWafInventory> {
  const errors: RunError[] = [];
  const fail = (subject: string, error: unknown) =>
    void errors.push({ scope: "waf", subject: `${input.accountId}/${subject}`, ...summarizeError(error) });
  const readers: WafReader[] = [];
  const albs = [];
  for (const region of input.regions) {
    try {
      const reader = await access.readerFor(input.accountId, region);
      readers.push(reader);
      albs.push(...(await reader.loadBalancers()));
    } catch (error) {
      fail(region, error);
    }
  }
  const first = readers[0];
  const distributions = first
    ? await first.distributions().catch((error: unknown) => void fail("cloudfront", error))
    : [];
  const doors = frontDoorsOf(albs, distributions ?? []);
  const { webAcls, live } = await readWebAcls(doors, readers, input.regions);
  // Nothing in front of any instance: nothing to recommend, so the catalogue is not read.
  const available = doors.length > 0 ? await catalogue(readers, input.regions, fail) : {};
  return {
    accountId: input.accountId,
    doors,
    webAcls,
    live,
    available,
    readAt: input.now().toISOString(),
    partial: errors.length > 0 || readers.length === 0,
    errors,
    calls: readers.reduce((sum, r) => sum + r.calls, 0),
  };
}

async function readWebAcls(doors: WafFrontDoor[], readers: WafReader[], regions: string[]) {
  const arns = [...new Set(doors.flatMap((d) => (d.webAcl?.kind === "wafv2" ? [d.webAcl.arn] : [])))];
  const webAcls = new Map<string, WebAclRead>();
  const live = new Map<string, LiveWebAcl>();
  await mapWithConcurrency(arns, WEBACL_READ_CONCURRENCY, async (arn) => {
    const reader = readers[Math.max(0, regions.indexOf(regionOf(arn)))] ?? readers[0];
    try {
      if (!reader) throw new Error("no reader for the account");
      const acl = await reader.readWebAcl(arn);
      live.set(arn, acl);
      webAcls.set(arn, { ok: true, acl });
    } catch (error) {
      webAcls.set(arn, { ok: false, reason: summarizeError(error).message });
    }
  });
  return { webAcls, live };
}

/** The catalogue per scope; one that cannot be listed leaves its groups unchecked (and says so). */
async function catalogue(readers: WafReader[], regions: string[], fail: (subject: string, error: unknown) => void) {
  const available: AccountWafInventory["available"] = {};
  const first = readers[0];
  if (!first) return available;
  try {
    available.regional = await first.availableGroups("regional");
    available.cloudfront = await first.availableGroups("cloudfront");
  } catch (error) {
    fail(`${regions[0] ?? ""}/catalogue`, error);
  }
  return available;
}

function regionOf(arn: string): string {
  return arn.split(":")[3] ?? "";
}
