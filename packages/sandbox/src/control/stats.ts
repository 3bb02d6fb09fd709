/**
 * Calls counted at the sandbox (not in the client), so benchmarks and tests see what really crossed the wire.
 * `api` is the service ("workload-security", "inspector2", "sts", ...), `subject` the tenant or account the
 * call was for, `operation` the API operation ("searchComputers", "ListFindings", ...).
 */
export interface ApiStats {
  total: number;
  byOperation: Record<string, number>;
  bySubject: Record<string, number>;
  bySubjectOperation: Record<string, Record<string, number>>;
  /** Responses by HTTP status, to see injected faults. */
  byStatus: Record<string, number>;
}

export type CallStats = Record<string, ApiStats>;

export class CallCounter {
  private stats: CallStats = {};

  record(api: string, operation: string, subject: string, status: number): void {
    const entry = (this.stats[api] ??= {
      total: 0,
      byOperation: {},
      bySubject: {},
      bySubjectOperation: {},
      byStatus: {},
    });
    entry.total++;
    entry.byOperation[operation] = (entry.byOperation[operation] ?? 0) + 1;
    entry.bySubject[subject] = (entry.bySubject[subject] ?? 0) + 1;
    const perSubject = (entry.bySubjectOperation[subject] ??= {});
    perSubject[operation] = (perSubject[operation] ?? 0) + 1;
    entry.byStatus[String(status)] = (entry.byStatus[String(status)] ?? 0) + 1;
  }

  snapshot(): CallStats {
    return structuredClone(this.stats);
  }

  reset(): void {
    this.stats = {};
  }
}
