export * from "./clients.js";
export * from "./context.js";
export * from "./account-access.js";
export * from "./signals.js";
