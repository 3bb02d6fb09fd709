export * from "./store.js";
export * from "./api.js";
export * from "./invocations.js";
