/**
 * Fault knobs for reliability work. Per Workload Security tenant: answer 429 after N calls a minute (the vendor's
 * message), inject 5xx or latency at a rate. Per AWS account: throttle Inspector2 the same way.
 * Randomness is seeded so a test run is repeatable.
 */
export interface FaultSettings {
  /** Calls allowed in any 60-second window; further calls get 429 and are not counted (as the vendor documents). */
  maxCallsPerMinute?: number;
  /** Fraction (0..1) of calls answered with `errorStatus`. */
  errorRate?: number;
  errorStatus?: number;
  /** Added delay in milliseconds, applied to a `latencyRate` fraction of calls (default: all). */
  latencyMs?: number;
  latencyRate?: number;
  /** Only these operations are affected (default: all). */
  operations?: string[];
}

export interface FaultConfig {
  /** Tenant name → settings. */
  workloadSecurity?: Record<string, FaultSettings>;
  /** AWS account id → settings for Inspector2 calls made for it. */
  inspector2?: Record<string, FaultSettings>;
}

export type FaultDecision =
  | { kind: "pass"; delayMs: number }
  | { kind: "throttle"; delayMs: number }
  | { kind: "error"; status: number; delayMs: number };

export class FaultPlan {
  private config: FaultConfig = {};
  private readonly windows = new Map<string, number[]>();
  private random: () => number;

  constructor(seed = 1) {
    this.random = mulberry32(seed);
  }

  set(config: FaultConfig, seed?: number): void {
    this.config = structuredClone(config);
    this.windows.clear();
    if (seed !== undefined) this.random = mulberry32(seed);
  }

  get(): FaultConfig {
    return structuredClone(this.config);
  }

  /** Decide the fate of one call. `now` is injectable for tests. */
  decide(api: "workloadSecurity" | "inspector2", subject: string, operation: string, now = Date.now()): FaultDecision {
    const settings = this.config[api]?.[subject];
    if (!settings || (settings.operations && !settings.operations.includes(operation)))
      return { kind: "pass", delayMs: 0 };
    const delayMs = settings.latencyMs && this.random() < (settings.latencyRate ?? 1) ? settings.latencyMs : 0;
    if (settings.maxCallsPerMinute !== undefined) {
      const key = `${api}:${subject}`;
      const window = (this.windows.get(key) ?? []).filter((t) => t > now - 60_000);
      if (window.length >= settings.maxCallsPerMinute) {
        this.windows.set(key, window);
        return { kind: "throttle", delayMs };
      }
      window.push(now);
      this.windows.set(key, window);
    }
    if (settings.errorRate && this.random() < settings.errorRate) {
      return { kind: "error", status: settings.errorStatus ?? 503, delayMs };
    }
    return { kind: "pass", delayMs };
  }
}

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
