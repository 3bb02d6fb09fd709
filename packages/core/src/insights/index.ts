export * from "./histogram.js";
export * from "./priority.js";
export * from "./kpis.js";
export * from "./time-to-shield.js";
export * from "./account-insights.js";
export * from "./trend.js";
export * from "./report-insights.js";
