import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { synthExample } from "./fixtures.js";

describe("Lambda bundling", () => {
  it("bundles every handler locally with esbuild (no Docker)", () => {
    const outdir = mkdtempSync(join(tmpdir(), "wshub-cdk-bundle-"));
    try {
      synthExample({ bundle: true, outdir });
      const assets = readdirSync(outdir).filter(
        (name) => name.startsWith("asset.") && statSync(join(outdir, name)).isDirectory(),
      );
      expect(assets).toHaveLength(8);
      for (const asset of assets) expect(readdirSync(join(outdir, asset))).toContain("index.mjs");
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
    // esbuild bundles nine handlers with their SDK clients: about 40 s on an idle 2-core machine, minutes under load.
  }, 300_000);
});
