export * from "./waf-data.js";
export * from "./waf-classify.js";
export * from "./waf-coverage.js";
export * from "./waf-plan.js";
export * from "./waf-ports.js";
export * from "./waf-instances.js";
export * from "./waf-summary.js";
