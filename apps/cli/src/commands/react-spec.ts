import { EXIT } from "../exit-codes.js";
import type { Builder } from "../program.js";
import { reactCommand } from "./react.js";

/** `wshub react`: one event, JSON lines from a file or stdin, or the hub queue long-polled. */
export function reactCommands({ define, run }: Builder): void {
  define({
    name: "react",
    description: "react to GuardDuty, Macie and Inspector finding events (as the react function does)",
    hub: true,
    output: ["table", "json"],
    examples: [
      "wshub react --event finding.json --plan",
      "cat events.jsonl | wshub react --event -",
      "wshub react --queue https://sqs.eu-west-1.amazonaws.com/111111111111/wshub-signals --once",
    ],
    exits: [EXIT.CONFIG, EXIT.AWS, EXIT.PARTIAL],
  })
    .option("--event <file>", "an EventBridge event (JSON) or JSON lines; - for stdin")
    .option("--queue <url>", "long-poll this SQS queue as the event source mapping would")
    .option("--once", "with --queue: stop when a receive returns nothing")
    .option("--plan", "show what would be done: no change, no audit write")
    .action(run(reactCommand));
}
