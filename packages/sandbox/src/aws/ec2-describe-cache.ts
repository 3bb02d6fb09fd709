import type { OutgoingHttpHeaders } from "node:http";

/** A complete answer from moto, kept to be replayed byte for byte. */
export interface BufferedAnswer {
  status: number;
  headers: OutgoingHttpHeaders;
  body: Buffer;
}

/** Above this many bytes of kept answers the oldest are dropped (an L organization keeps about 200 MB). */
const DEFAULT_MAX_BYTES = 512 * 1024 * 1024;

/**
 * moto spends about 2 ms of single-threaded Python serializing one EC2 instance, so a DescribeInstances of an account
 * with 400 instances takes most of a second, and a hub reading 100 accounts waits on moto alone; EC2 answers a page
 * in a fraction of that whatever its size. The front keeps moto's successful DescribeInstances answers, per caller
 * account, region and request, and replays them until the next EC2 call that is not a `Describe*` (any change drops
 * them all). A replay carries exactly the bytes moto sent for the same request in the same state.
 */
export class Ec2DescribeCache {
  private readonly answers = new Map<string, BufferedAnswer>();
  private bytes = 0;

  constructor(private readonly maxBytes = DEFAULT_MAX_BYTES) {}

  static isCacheable(operation: string): boolean {
    return operation === "DescribeInstances";
  }

  /** Whether an EC2 operation may change what a DescribeInstances answers. */
  static mayChangeState(operation: string): boolean {
    return !operation.startsWith("Describe");
  }

  static keyOf(accountId: string, region: string, body: Buffer | undefined): string {
    return `${accountId}|${region}|${body?.toString("utf8") ?? ""}`;
  }

  get(key: string): BufferedAnswer | undefined {
    return this.answers.get(key);
  }

  keep(key: string, answer: BufferedAnswer): void {
    if (answer.status !== 200 || answer.body.length > this.maxBytes) return;
    this.drop(key);
    this.answers.set(key, answer);
    this.bytes += answer.body.length;
    for (const [oldest, kept] of this.answers) {
      if (this.bytes <= this.maxBytes) break;
      this.answers.delete(oldest);
      this.bytes -= kept.body.length;
    }
  }

  clear(): void {
    this.answers.clear();
    this.bytes = 0;
  }

  private drop(key: string): void {
    const kept = this.answers.get(key);
    if (!kept) return;
    this.answers.delete(key);
    this.bytes -= kept.body.length;
  }
}
