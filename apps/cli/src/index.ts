export { demoConfig } from "./demo-config.js";
export { exitCodeFor, EXIT } from "./exit-codes.js";
export { runSummary, textTable } from "./format.js";
export { cliLogger } from "./logger.js";
export { wafWith } from "./commands/waf.js";
export { peakRssMb, procStatusMb } from "./peak-rss.js";
