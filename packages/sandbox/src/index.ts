export * from "./scenario/types.js";
export * from "./scenario/load.js";
export * from "./control/stats.js";
export * from "./control/faults.js";
export * from "./process/child.js";
export * from "./dynamodb-local.js";
export * from "./aws/index.js";
export * from "./sandbox.js";
