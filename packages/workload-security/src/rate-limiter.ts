import { sleep } from "./backoff.js";

/**
 * Client-side ceiling on calls per rolling minute. The vendor counts calls per key over the last 60 seconds and
 * stops serving the whole key when over the limit, so staying below it is kinder than relying on 429 retries.
 */
export class RollingMinuteLimiter {
  private readonly starts: number[] = [];

  constructor(
    private readonly maxPerMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  async acquire(): Promise<void> {
    for (;;) {
      const now = this.now();
      while (this.starts.length > 0 && (this.starts[0] as number) <= now - 60_000) this.starts.shift();
      if (this.starts.length < this.maxPerMinute) {
        this.starts.push(now);
        return;
      }
      await sleep((this.starts[0] as number) + 60_000 - now + 5);
    }
  }
}
