import type { ApiStats, FindingSpec, InjectOutcome } from "@wshub/sandbox";
import type { SignalsBenchOptions } from "./signals-bench.js";

/** One delivery as a consumer handled it. */
export interface Handled {
  eventId: string;
  status: "acted" | "planned" | "rejected" | "duplicate" | "failed";
  /** Workload Security calls the reaction made (retries included). */
  calls: number;
  doneAt: number;
  instanceIds: string[];
}

export interface SignalsRun {
  options: SignalsBenchOptions;
  specs: FindingSpec[];
  injected: InjectOutcome;
  handled: Handled[];
  putMs: number;
  wallMs: number;
  probe: { events: number; ms: number };
  calls: ApiStats | undefined;
  /** Inspector finding id → when the audit trail has its assignment (epoch ms). */
  assignedAt: Map<string, number>;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Calls per distinct computer: every reaction's calls summed over the instance it was about. */
function callsPerInstance(handled: Handled[]): number[] {
  const sums = new Map<string, number>();
  for (const h of handled)
    if (h.status === "acted" && h.instanceIds.length === 1) {
      const id = h.instanceIds[0] as string;
      sums.set(id, (sums.get(id) ?? 0) + h.calls);
    }
  return [...sums.values()];
}

export function signalsReport(run: SignalsRun): string {
  const { handled, injected } = run;
  const firstPut = new Map<string, number>();
  const putAtOfEvent = new Map<string, number>();
  for (const e of injected.events) {
    putAtOfEvent.set(e.eventId, e.putAt);
    if (!firstPut.has(e.findingId)) firstPut.set(e.findingId, e.putAt);
  }
  const latencies = [...run.assignedAt].map(([findingId, at]) => at - (firstPut.get(findingId) ?? at));
  const doneLatencies = handled.map((h) => h.doneAt - (putAtOfEvent.get(h.eventId) ?? h.doneAt));
  const byStatus = (status: Handled["status"]) => handled.filter((h) => h.status === status);
  const perInstance = callsPerInstance(handled);
  const duplicateCalls = byStatus("duplicate").reduce((sum, h) => sum + h.calls, 0);
  const inspector = run.specs.filter((s) => s.kind === "inspector").length;
  const ops = Object.entries(run.calls?.byOperation ?? {})
    .sort((a, b) => b[1] - a[1])
    .map(([op, n]) => `${op} ${n}`)
    .join(", ");
  return [
    `## signals: ${injected.put} events (${injected.duplicates} duplicate deliveries) over ${run.options.instances} instances; ${run.specs.length} distinct findings (${inspector} Inspector, ${run.specs.length - inspector} GuardDuty)`,
    "",
    "| measure | value |",
    "|---|---|",
    `| wall, first PutEvents → last event handled | ${seconds(run.wallMs)} |`,
    `| events/s end to end | ${(injected.put / (run.wallMs / 1000)).toFixed(1)} |`,
    `| PutEvents (10 a call) while consuming | ${seconds(run.putMs)} (${(injected.put / (run.putMs / 1000)).toFixed(1)} events/s) |`,
    `| moto alone, PutEvents → in the SQS queue | ${run.probe.events} events in ${seconds(run.probe.ms)} (${(run.probe.events / (run.probe.ms / 1000)).toFixed(1)} events/s) |`,
    `| outcomes | acted ${byStatus("acted").length}, duplicate ${byStatus("duplicate").length}, rejected ${byStatus("rejected").length}, failed deliveries ${byStatus("failed").length} |`,
    `| Workload Security calls | ${run.calls?.total ?? 0} (${ops}) |`,
    `| calls per distinct computer (acted on) | mean ${(perInstance.reduce((a, b) => a + b, 0) / Math.max(1, perInstance.length)).toFixed(2)}, p95 ${percentile(perInstance, 95)}, max ${Math.max(0, ...perInstance)} over ${perInstance.length} instances |`,
    `| calls for the ${byStatus("duplicate").length} duplicates | ${duplicateCalls} |`,
    `| PutEvents → assignment in the audit trail (${latencies.length} Inspector events assigned) | p50 ${seconds(percentile(latencies, 50))}, p95 ${seconds(percentile(latencies, 95))} |`,
    `| PutEvents → handled, every delivery | p50 ${seconds(percentile(doneLatencies, 50))}, p95 ${seconds(percentile(doneLatencies, 95))} |`,
  ].join("\n");
}
