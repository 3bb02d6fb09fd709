import { Option } from "commander";
import { EXIT } from "../exit-codes.js";
import type { Builder } from "../program.js";
import { wafCommand } from "./waf.js";

/** `wshub waf`: the WAF coverage of every account and region, now (and with `--mode apply`, the change). */
export function wafCommands({ define, run }: Builder): void {
  define({
    name: "waf",
    description: "ALBs and CloudFront distributions in front of protected instances: WebACLs and missing rule groups",
    hub: true,
    output: ["table", "csv", "json"],
    examples: ["wshub waf", "wshub waf --profile security-hub -o csv > waf.csv", "wshub waf --mode apply --json"],
    exits: [EXIT.CONFIG, EXIT.RUN_FAILED, EXIT.GUARD_RAIL, EXIT.AWS],
  })
    .addOption(
      new Option("--mode <mode>", "override waf.mode: recommend, or apply (adds the groups in count mode)").choices([
        "recommend",
        "apply",
      ]),
    )
    .action(run(wafCommand));
}
