export * from "./clients.js";
export * from "./context.js";
export * from "./report-context.js";
export * from "./client-factory.js";
export * from "./account-access.js";
export * from "./signals.js";
