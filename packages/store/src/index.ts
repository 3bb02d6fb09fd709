export * from "./tables.js";
export * from "./findings-store.js";
export * from "./runs-store.js";
export * from "./audit-store.js";
export * from "./blobs.js";
export { batchWrite, batchGet, chunk } from "./batch.js";
export * from "./coverage-codec.js";
export * from "./lease-store.js";
export * from "./signal-store.js";
