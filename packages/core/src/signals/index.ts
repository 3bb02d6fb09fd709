export * from "./signal.js";
export * from "./reaction-plan.js";
export * from "./inspector-assignment.js";
export * from "./macie-access.js";
export * from "./iam-glob.js";
export * from "./signal-ports.js";
export * from "./notice.js";
export * from "./recommended-assignment.js";
