export * from "./context.js";
export * from "./plan-accounts.js";
export * from "./collect.js";
export * from "./evaluate.js";
export * from "./report.js";
export * from "./run-lifecycle.js";
export * from "./run-all.js";
