/**
 * One Lambda invocation in its own process, as a cold container would run it: `tsx lambda-invoke.ts <step> <event JSON>`.
 * The handler reads its configuration and credentials from the environment the bench passes; the last stdout line is
 * `@@invocation {"ms":…,"maxRssMb":…,"result":…}`: wall time of the handler call and the process's peak RSS.
 */
process.env["AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED"] = "true";
import { assign, collect, evaluateAccounts, finishRun, prepareTenant, reportAccount, startRun } from "@wshub/functions";

import { peakRssMb } from "@wshub/cli";
import { INVOCATION_MARKER } from "./invocation.js";

/** The event arrives as JSON, as Step Functions hands it to Lambda. */
function invoke(step: string | undefined, eventJson: string): Promise<unknown> {
  const event = JSON.parse(eventJson);
  switch (step) {
    case "startRun":
      return startRun(event);
    case "collect":
      return collect(event);
    case "prepareTenant":
      return prepareTenant(event);
    case "evaluateAccounts":
      return evaluateAccounts(event);
    case "assign":
      return assign(event);
    case "reportAccount":
      return reportAccount(event);
    case "finishRun":
      return finishRun(event);
    default:
      throw new Error(`unknown step ${step ?? "(none)"}`);
  }
}

const [step, eventJson] = process.argv.slice(2);
const started = performance.now();
const result = await invoke(step, eventJson ?? "{}");
const ms = Math.round(performance.now() - started);
const maxRssMb = peakRssMb();
process.stdout.write(`\n${INVOCATION_MARKER}${JSON.stringify({ ms, maxRssMb, result })}\n`);
process.exit(0);
