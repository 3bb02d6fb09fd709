import type { ApiStats, FindingSpec, InjectOutcome } from "@wshub/sandbox";
import type { SignalsBenchOptions } from "./signals-bench.js";

/** One delivery as a consumer handled it. */
export interface Handled {
  eventId: string;
  status: "acted" | "planned" | "rejected" | "duplicate" | "failed";
  startedAt: number;
  doneAt: number;
  instanceIds: string[];
  /** A failed delivery's error code (it is delivered again). */
  reason?: string;
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
  /** The late redelivery: events put, Workload Security calls counted, outcomes `duplicate`. */
  replay: { events: number; calls: number; duplicates: number };
  inspector: {
    /** Inspector finding id → when the audit trail has its assignment (epoch ms). */
    assignedAt: Map<string, number>;
    /** What the audit trail says of each Inspector finding's rules (applied, skipped and why, none). */
    outcomes: Record<string, number>;
  };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Distinct instances the acted-on reactions were about. */
function actedInstances(handled: Handled[]): number {
  return new Set(handled.filter((h) => h.status === "acted").flatMap((h) => h.instanceIds)).size;
}

const counts = (values: (string | undefined)[]) =>
  Object.entries(
    values.reduce<Record<string, number>>((all, v) => ({ ...all, [v ?? "?"]: (all[v ?? "?"] ?? 0) + 1 }), {}),
  )
    .map(([k, n]) => `${k} ${n}`)
    .join(", ");

export function signalsReport(run: SignalsRun): string {
  const { handled, injected } = run;
  const firstPut = new Map<string, number>();
  const putAtOfEvent = new Map<string, number>();
  for (const e of injected.events) {
    putAtOfEvent.set(e.eventId, e.putAt);
    if (!firstPut.has(e.findingId)) firstPut.set(e.findingId, e.putAt);
  }
  const latencies = [...run.inspector.assignedAt].map(([findingId, at]) => at - (firstPut.get(findingId) ?? at));
  const doneLatencies = handled.map((h) => h.doneAt - (putAtOfEvent.get(h.eventId) ?? h.doneAt));
  const byStatus = (status: Handled["status"]) => handled.filter((h) => h.status === status);
  const computers = actedInstances(handled);
  const durations = handled.filter((h) => h.status !== "failed").map((h) => h.doneAt - h.startedAt);
  const inspector = run.specs.filter((s) => s.kind === "inspector").length;
  const ops = Object.entries(run.calls?.byOperation ?? {})
    .sort((a, b) => b[1] - a[1])
    .map(([op, n]) => `${op} ${n}`)
    .join(", ");
  return [
    `## signals: ${injected.put} events (${injected.duplicates} duplicate deliveries) over ${run.options.instances} instances; ${run.specs.length} distinct findings (${inspector} Inspector, ${run.specs.length - inspector} GuardDuty); ${run.options.rate === undefined ? "a burst" : `a stream of ${run.options.rate} events/s`}, ${run.options.consumers} consumers`,
    "",
    "| measure | value |",
    "|---|---|",
    `| wall, first PutEvents → last event handled | ${seconds(run.wallMs)} |`,
    `| events/s end to end | ${(injected.put / (run.wallMs / 1000)).toFixed(1)} |`,
    `| PutEvents (10 a call) while consuming | ${seconds(run.putMs)} (${(injected.put / (run.putMs / 1000)).toFixed(1)} events/s) |`,
    `| moto alone, PutEvents → in the SQS queue | ${run.probe.events} events in ${seconds(run.probe.ms)} (${(run.probe.events / (run.probe.ms / 1000)).toFixed(1)} events/s) |`,
    `| outcomes | acted ${byStatus("acted").length}, duplicate ${byStatus("duplicate").length}, rejected ${byStatus("rejected").length}, failed deliveries ${byStatus("failed").length} |`,
    `| Workload Security calls | ${run.calls?.total ?? 0} (${ops}) |`,
    `| calls per distinct computer acted on | ${((run.calls?.total ?? 0) / Math.max(1, computers)).toFixed(2)} (${computers} instances) |`,
    `| calls for duplicates | ${run.replay.calls} calls for ${run.replay.events} late redeliveries (${run.replay.duplicates} answered as duplicates); ${byStatus("duplicate").length} duplicates in the run |`,
    `| failed deliveries, delivered again | ${counts(byStatus("failed").map((h) => h.reason))} |`,
    `| one reaction, received → done | p50 ${seconds(percentile(durations, 50))}, p95 ${seconds(percentile(durations, 95))} |`,
    `| Inspector events in the audit trail | ${Object.entries(run.inspector.outcomes)
      .map(([k, n]) => `${k} ×${n}`)
      .join("; ")} |`,
    `| PutEvents → assignment in the audit trail (${latencies.length} Inspector events assigned) | p50 ${seconds(percentile(latencies, 50))}, p95 ${seconds(percentile(latencies, 95))} |`,
    `| PutEvents → handled, every delivery | p50 ${seconds(percentile(doneLatencies, 50))}, p95 ${seconds(percentile(doneLatencies, 95))} |`,
  ].join("\n");
}
