/**
 * A sparse histogram of whole numbers (hours): value → how many. Additive across accounts, so the organization's
 * median and p90 come from the accounts' stored histograms without reading a single coverage row again.
 */
export type Histogram = Record<string, number>;

export function addToHistogram(histogram: Histogram, value: number, count = 1): void {
  const key = String(value);
  histogram[key] = (histogram[key] ?? 0) + count;
}

export function mergeHistograms(target: Histogram, source: Histogram): Histogram {
  for (const [key, count] of Object.entries(source)) target[key] = (target[key] ?? 0) + count;
  return target;
}

export function histogramCount(histogram: Histogram): number {
  let total = 0;
  for (const count of Object.values(histogram)) total += count;
  return total;
}

/**
 * The nearest-rank quantile (q in (0, 1]): the smallest value with at least ⌈q·n⌉ values at or below it. Always a
 * value that occurred (no interpolation), so "median 7 days" means some row really took 7 days. Undefined when empty.
 */
export function histogramQuantile(histogram: Histogram, q: number): number | undefined {
  const values = Object.entries(histogram)
    .map(([key, count]) => [Number(key), count] as const)
    .filter(([, count]) => count > 0)
    .sort((a, b) => a[0] - b[0]);
  const total = values.reduce((sum, [, count]) => sum + count, 0);
  if (total === 0) return undefined;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (const [value, count] of values) {
    seen += count;
    if (seen >= rank) return value;
  }
  return values[values.length - 1]?.[0];
}

/** Every value shifted: `value → offset - value` (open rows' first-observed hours → their ages at one instant). */
export function reflectHistogram(histogram: Histogram, offset: number): Histogram {
  const reflected: Histogram = {};
  for (const [key, count] of Object.entries(histogram))
    addToHistogram(reflected, Math.max(0, offset - Number(key)), count);
  return reflected;
}
