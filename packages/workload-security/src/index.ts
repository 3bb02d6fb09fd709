export * from "./api-types.js";
export * from "./backoff.js";
export * from "./rate-limiter.js";
export * from "./http.js";
export * from "./keyset.js";
export * from "./mapping.js";
export * from "./tenant-api.js";
export * from "./signal-tenant.js";
