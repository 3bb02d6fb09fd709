export * from "./clients.js";
export * from "./context.js";
export * from "./signals.js";
