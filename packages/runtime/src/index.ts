export * from "./clients.js";
export * from "./context.js";
