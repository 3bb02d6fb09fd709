import { ERROR_CODES, WshubError } from "@wshub/core";
import { mulberry32 } from "../control/faults.js";
import { buildFindingEvent, type BuiltEvent, type EventEntry, type FindingSpec } from "./finding-events.js";
import { motoJson } from "./moto-json.js";

export interface InjectRequest {
  findings?: FindingSpec[];
  /** Events put as given, of any shape (a malformed one included): the bus routes them on source and detail-type. */
  raw?: { source: string; detailType: string; detail: unknown }[];
  /** Fraction (0..1) of the events delivered twice, as a delegated administrator's double publish does. */
  duplicateRate?: number;
  /** Deliver in a seeded random order rather than as given (a later revision may come first). */
  outOfOrder?: boolean;
  seed?: number;
  /** Pace the puts at this many events a second (a stream); absent: as fast as the bus answers (a burst). */
  eventsPerSecond?: number;
}

export interface InjectedEvent {
  source: string;
  findingId: string;
  updatedAt: string;
  /** The second delivery of the same finding revision. */
  duplicate: boolean;
  /** EventBridge's id of this delivery. */
  eventId: string;
  /** When PutEvents answered, epoch ms (for latency measures). */
  putAt: number;
}

export interface InjectOutcome {
  put: number;
  failed: number;
  duplicates: number;
  events: InjectedEvent[];
}

/** PutEvents takes at most 10 entries a call. */
const ENTRIES_PER_PUT = 10;
const FINDING_KINDS: readonly string[] = ["guardduty", "macie", "inspector"];

export interface InjectorTarget {
  motoEndpoint: string;
  /** The account that puts (the hub, where forwarded events arrive) and its home region. */
  accountId: string;
  region: string;
  eventBusName: string;
}

/**
 * The finding injector: GuardDuty, Macie and Inspector finding events (and raw ones) put on the hub bus through
 * moto's EventBridge, which routes them by the rule to the hub queue, as the forwarding rules in the
 * delegated-administrator accounts would. Duplicates and out-of-order delivery are knobs.
 */
export async function injectFindings(target: InjectorTarget, request: InjectRequest): Promise<InjectOutcome> {
  const built = [
    ...(request.findings ?? []).map((spec) => buildFindingEvent(checkedSpec(spec))),
    ...rawEvents(request),
  ];
  const deliveries = withDuplicates(built, request);
  const pace = pacer(request.eventsPerSecond);
  const events: InjectedEvent[] = [];
  let failed = 0;
  for (let i = 0; i < deliveries.length; i += ENTRIES_PER_PUT) {
    await pace(i);
    const batch = deliveries.slice(i, i + ENTRIES_PER_PUT);
    const answer = await motoJson<{ FailedEntryCount?: number; Entries?: { EventId?: string }[] }>(
      target.motoEndpoint,
      {
        service: "events",
        operation: "PutEvents",
        accountId: target.accountId,
        region: target.region,
        body: { Entries: batch.map((d) => ({ ...d.event.entry, EventBusName: target.eventBusName })) },
      },
    );
    const putAt = Date.now();
    failed += answer.FailedEntryCount ?? 0;
    batch.forEach((d, j) =>
      events.push({
        source: d.event.source,
        findingId: d.event.findingId,
        updatedAt: d.event.updatedAt,
        duplicate: d.duplicate,
        eventId: answer.Entries?.[j]?.EventId ?? "",
        putAt,
      }),
    );
  }
  return { put: events.length - failed, failed, duplicates: events.filter((e) => e.duplicate).length, events };
}

/** Waits until the n-th event is due at the given rate, counted from the first call. */
function pacer(eventsPerSecond: number | undefined): (n: number) => Promise<void> {
  if (eventsPerSecond === undefined) return async () => {};
  if (!(eventsPerSecond > 0)) throw bad(`eventsPerSecond must be above 0, not ${String(eventsPerSecond)}`);
  let started: number | undefined;
  return async (n) => {
    started ??= Date.now();
    const wait = started + (n / eventsPerSecond) * 1000 - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  };
}

interface Delivery {
  event: BuiltEvent;
  duplicate: boolean;
}

function withDuplicates(built: BuiltEvent[], request: InjectRequest): Delivery[] {
  const rate = request.duplicateRate ?? 0;
  if (!(rate >= 0 && rate <= 1)) throw bad(`duplicateRate must be between 0 and 1, not ${String(rate)}`);
  const random = mulberry32(request.seed ?? 1);
  // Exactly round(rate × n) events are repeated, chosen at random: the benchmark's "30 %" is 30 %.
  const repeated = new Set(
    shuffled(
      built.map((_, i) => i),
      random,
    ).slice(0, Math.round(rate * built.length)),
  );
  const deliveries = built.flatMap((event, i) => [
    { event, duplicate: false },
    ...(repeated.has(i) ? [{ event, duplicate: true }] : []),
  ]);
  return request.outOfOrder ? shuffled(deliveries, random) : deliveries;
}

function shuffled<T>(items: T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

function rawEvents(request: InjectRequest): BuiltEvent[] {
  return (request.raw ?? []).map((raw, i) => {
    if (typeof raw.source !== "string" || typeof raw.detailType !== "string")
      throw bad(`raw/${i}: needs a source and a detailType`);
    const entry: EventEntry = {
      Source: raw.source,
      DetailType: raw.detailType,
      Detail: JSON.stringify(raw.detail ?? {}),
      Resources: [],
    };
    return { entry, source: raw.source, findingId: "", updatedAt: "" };
  });
}

function checkedSpec(spec: FindingSpec): FindingSpec {
  const kind = (spec as { kind?: unknown }).kind;
  if (!FINDING_KINDS.includes(String(kind))) throw bad(`kind must be one of ${FINDING_KINDS.join(", ")}`);
  if (typeof spec.accountId !== "string" || typeof spec.region !== "string")
    throw bad(`a ${String(kind)} finding needs accountId and region`);
  return spec;
}

function bad(message: string): WshubError {
  return new WshubError(ERROR_CODES.SCENARIO_INVALID, `finding injector: ${message}`, {});
}
