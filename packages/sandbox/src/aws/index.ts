export type { AwsCredentials, AwsFrontOptions, Caller, CapturedEmail, InspectorHandler } from "./types.js";
export { startAwsSandbox, type AwsSandbox, type AwsSandboxOptions } from "./sandbox.js";
export { startAwsFront, DENIAL_REASON_HEADER, type AwsFront } from "./front.js";
export { startMotoServer, announceIds, type MotoServer, type WantedIds } from "./moto-server.js";
export { seedAws, SEED_DEFAULTS, type SeedAwsOptions, type SeedAwsResult } from "./seed/seed.js";
export { HUB_USER, MANAGEMENT_USER, type AccountCredentials } from "./seed/hub.js";
export { MEMBER_READ_PERMISSIONS, WAF_WRITE_PERMISSIONS, WAF_WRITE_ROLE_NAME } from "./seed/accounts.js";
export { evaluateTrustPolicy, type TrustDecision, type TrustRequest } from "./trust-policy.js";
export * from "./config/index.js";
