import { mulberry32 } from "../control/faults.js";

/** A seeded random source with the few draws the generator needs: same seed, same scenario. */
export class Random {
  private readonly next: () => number;

  constructor(seed: number) {
    this.next = mulberry32(seed);
  }

  float(): number {
    return this.next();
  }

  int(min: number, maxInclusive: number): number {
    return min + Math.floor(this.next() * (maxInclusive - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Pick by weights (cumulative table, binary search). */
  weighted<T>(items: readonly T[], cumulative: readonly number[]): T {
    const target = this.next() * (cumulative[cumulative.length - 1] as number);
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] as number) < target) lo = mid + 1;
      else hi = mid;
    }
    return items[lo] as T;
  }

  hex(length: number): string {
    let out = "";
    while (out.length < length)
      out += Math.floor(this.next() * 0x100000000)
        .toString(16)
        .padStart(8, "0");
    return out.slice(0, length);
  }
}

/** Zipf-like weights: a few heavy items and a long tail (account sizes, CVE popularity). */
export function zipfCumulative(count: number, exponent: number): number[] {
  const cumulative: number[] = [];
  let total = 0;
  for (let i = 0; i < count; i++) {
    total += 1 / (i + 1) ** exponent;
    cumulative.push(total);
  }
  return cumulative;
}

/** Split `total` over weights exactly (largest remainder), every share at least `minimum` when possible. */
export function apportion(total: number, weights: number[], minimum = 0): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const base = Math.max(0, total - minimum * weights.length);
  const raw = weights.map((w) => (w / sum) * base);
  const shares = raw.map((r) => Math.floor(r) + minimum);
  let left = total - shares.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((a, b) => b[0] - a[0]);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) {
    const index = (order[k] as readonly [number, number])[1];
    shares[index] = (shares[index] ?? 0) + 1;
  }
  return shares;
}
