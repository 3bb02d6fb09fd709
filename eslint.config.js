// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";

const ioModules = [
  "fs",
  "fs/promises",
  "http",
  "https",
  "net",
  "child_process",
  "dgram",
  "dns",
  "tls",
  "worker_threads",
  "cluster",
  "os",
  "process",
];

export default tseslint.config(
  {
    ignores: [
      "**/node_modules/**",
      "**/dist/**",
      "**/cdk.out/**",
      "**/generated/**",
      ".tools/**",
      "out/**",
      ".bench/**",
      "**/*.py",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: "readonly",
        console: "readonly",
        Buffer: "readonly",
        URL: "readonly",
        setTimeout: "readonly",
        clearTimeout: "readonly",
        setInterval: "readonly",
        clearInterval: "readonly",
        fetch: "readonly",
        AbortController: "readonly",
        AbortSignal: "readonly",
        TextEncoder: "readonly",
        TextDecoder: "readonly",
        structuredClone: "readonly",
        Response: "readonly",
        Headers: "readonly",
        Request: "readonly",
        queueMicrotask: "readonly",
        setImmediate: "readonly",
      },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      "no-console": "off",
    },
  },
  {
    // packages/core is the pure domain: no AWS SDK, no I/O, no environment. Adapters live in other packages.
    files: ["packages/core/src/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@aws-sdk/*", "@smithy/*"],
              message: "packages/core must not depend on the AWS SDK: put the call in an adapter package.",
            },
            { group: ["@wshub/*"], message: "packages/core depends on nothing else in the workspace." },
            {
              group: [...ioModules, ...ioModules.map((m) => `node:${m}`)],
              message: "packages/core does no I/O: take the data as an argument.",
            },
          ],
        },
      ],
      "no-restricted-globals": [
        "error",
        { name: "fetch", message: "packages/core does no I/O." },
        { name: "process", message: "packages/core reads no environment: pass configuration in." },
      ],
    },
  },
);
