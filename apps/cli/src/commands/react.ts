import { readFile } from "node:fs/promises";
import type { ReactionOutcome } from "@wshub/hub";
import { createReactDeps, ensureSignalTable, reactToMessage, signalQueue } from "@wshub/runtime";
import { EXIT } from "../exit-codes.js";
import { openHub, type GlobalOptions } from "../hub.js";

export interface ReactCommandOptions extends GlobalOptions {
  event?: string;
  queue?: string;
  once?: boolean;
  plan?: boolean;
}

/** `wshub react`: each event through the same use case as the Lambda handler; a failed one does not stop the rest. */
export async function reactCommand(options: ReactCommandOptions): Promise<number> {
  const ctx = await openHub(options);
  if (options.createTables) await ensureSignalTable(ctx);
  const deps = createReactDeps(ctx);
  let failed = 0;
  const handle = async (body: string): Promise<boolean> => {
    try {
      print(options, await reactToMessage(ctx, deps, body, { plan: options.plan === true }));
      return true;
    } catch (error) {
      failed++;
      process.stderr.write(
        `wshub: the event failed and will be retried: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      return false;
    }
  };
  if (options.queue) {
    const queue = signalQueue(ctx, options.queue);
    for (;;) {
      const messages = await queue.receive();
      if (messages.length === 0 && options.once) break;
      for (const message of messages) if ((await handle(message.body)) && !options.plan) await queue.delete(message);
    }
  } else {
    for (const body of await eventBodies(options.event ?? "-")) await handle(body);
  }
  return failed > 0 ? EXIT.PARTIAL : EXIT.OK;
}

/** One JSON document, or JSON lines (one event a line). */
async function eventBodies(file: string): Promise<string[]> {
  const text = file === "-" ? await readStdin() : await readFile(file, "utf8");
  try {
    JSON.parse(text);
    return [text];
  } catch {
    return text.split(/\r?\n/).filter((line) => line.trim() !== "");
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString("utf8");
}

function print(options: ReactCommandOptions, outcome: ReactionOutcome): void {
  if (options.output === "json") {
    process.stdout.write(`${JSON.stringify(outcome)}\n`);
    return;
  }
  const about = outcome.signal ? `${outcome.signal.source} ${outcome.signal.findingId}` : "event";
  const why = outcome.rejection ? ` (${outcome.rejection.reason}: ${outcome.rejection.detail})` : "";
  process.stdout.write(
    `${about}: ${outcome.status}${why}, ${outcome.calls} Workload Security call(s), run ${outcome.runId}\n`,
  );
  for (const e of outcome.events)
    process.stdout.write(
      `  ${e.action.padEnd(9)} ${(e.change ?? "ips-rules").padEnd(20)} ${e.instanceId ?? ""} ${e.targetKind} ${String(e.targetId)}${e.reason ? ` — ${e.reason}` : ""}\n`,
    );
}
