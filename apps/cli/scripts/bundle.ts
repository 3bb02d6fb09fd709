/**
 * `pnpm build:cli`: the CLI as two esbuild bundles in apps/cli/dist, the production shape of `wshub` (plain node, no
 * tsx): `wshub.mjs` and the report worker, `report-worker-entry.mjs`, which report-pool.ts finds beside it as it finds
 * the source entry beside itself. Under tsx every isolate (the main thread and each worker) also compiles and holds
 * the TypeScript sources and runs tsx's loader thread: ~100 MB and ~2 s a process (docs/performance.md).
 *
 * Left outside the bundles: piscina (it starts its threads from its own files) and the sandbox (a development
 * dependency whose servers live in its package folder): the bundled CLI answers `demo`, `sandbox` and `generate` with
 * SANDBOX_NOT_INSTALLED, as a production install does; `./dev` runs them from the sources.
 */
import { build } from "esbuild";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const CLI = join(dirname(fileURLToPath(import.meta.url)), "..");
export const CLI_BUNDLE = join(CLI, "dist", "wshub.mjs");

/** Bundles wrap CommonJS dependencies that call require(): ESM output needs a require of its own. */
const REQUIRE_BANNER =
  "import { createRequire as __wshubCreateRequire } from 'module'; const require = __wshubCreateRequire(import.meta.url);";

export async function bundleCli(): Promise<string> {
  await build({
    entryPoints: {
      wshub: join(CLI, "src", "main.ts"),
      "report-worker-entry": join(CLI, "src", "workers", "report-worker.ts"),
    },
    outdir: join(CLI, "dist"),
    outExtension: { ".js": ".mjs" },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    // Function names kept, so CPU profiles of the bundle read like the sources'.
    keepNames: true,
    sourcemap: "linked",
    external: ["piscina", "@wshub/sandbox"],
    banner: { js: REQUIRE_BANNER },
    logLevel: "warning",
  });
  return CLI_BUNDLE;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(await bundleCli());
