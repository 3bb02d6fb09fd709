export * from "./parameters.js";
export * from "./invocation.js";
export * from "./decide.js";
export * from "./evaluations.js";
