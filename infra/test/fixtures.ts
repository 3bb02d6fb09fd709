import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { App } from "aws-cdk-lib";
import { buildApp } from "../src/app-builder.js";
import { loadDeployment, type Deployment } from "../src/deployment.js";

export const INFRA_DIR = join(dirname(fileURLToPath(import.meta.url)), "..");

export function exampleDeployment(overrides: Partial<Deployment> = {}): Deployment {
  const raw = JSON.parse(readFileSync(join(INFRA_DIR, "deployment.example.json"), "utf8")) as Record<string, unknown>;
  return { ...loadDeployment(raw), ...overrides };
}

/** The whole app, synthesized; bundling is skipped unless asked (it is tested once on its own). */
export function synthExample(
  options: { bundle?: boolean; deployment?: Deployment; outdir?: string; reactHandlerEntry?: string } = {},
) {
  const app = new App({
    ...(options.outdir ? { outdir: options.outdir } : {}),
    context: options.bundle ? {} : { "aws:cdk:bundling-stacks": [] },
  });
  const built = buildApp(
    options.deployment ?? exampleDeployment(),
    app,
    options.reactHandlerEntry ? { reactHandlerEntry: options.reactHandlerEntry } : {},
  );
  const assembly = app.synth();
  return { ...built, assembly };
}
