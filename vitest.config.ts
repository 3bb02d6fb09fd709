import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: [
      "packages/*/test/**/*.test.ts",
      "apps/*/test/**/*.test.ts",
      "infra/test/**/*.test.ts",
      "test/**/*.test.ts",
    ],
    exclude: ["**/node_modules/**", "**/dist/**", "**/cdk.out/**"],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // Sandbox-backed suites start real servers (moto, DynamoDB Local, simulators); two cores here.
    maxWorkers: 2,
    globalSetup: ["test/global-tmp.ts"],
    // Lambda handlers log JSON through Powertools; tests assert on results, not on those lines.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true", POWERTOOLS_LOG_LEVEL: "SILENT" },
  },
});
