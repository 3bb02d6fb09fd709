export * from "./env.js";
export { handler as startRun, type StartRunResult } from "./handlers/start-run.js";
export { handler as collect } from "./handlers/collect.js";
export { handler as prepareTenant } from "./handlers/prepare-tenant.js";
export { handler as evaluateAccounts } from "./handlers/evaluate-accounts.js";
export { handler as assign } from "./handlers/assign.js";
export { handler as reportAccount } from "./handlers/report-account.js";
export { handler as finishRun } from "./handlers/finish-run.js";
export { handler as configRule } from "./handlers/config-rule.js";
export { handler as react, reactHandler, type ReactHandler } from "./handlers/react.js";
export { resetHubContext } from "./runtime.js";
/** Handler entry files, for the CDK app to bundle (one function per step). */
export const HANDLER_ENTRIES = {
  startRun: "handlers/start-run.ts",
  collect: "handlers/collect.ts",
  prepareTenant: "handlers/prepare-tenant.ts",
  evaluateAccounts: "handlers/evaluate-accounts.ts",
  assign: "handlers/assign.ts",
  reportAccount: "handlers/report-account.ts",
  finishRun: "handlers/finish-run.ts",
  configRule: "handlers/config-rule.ts",
} as const;
