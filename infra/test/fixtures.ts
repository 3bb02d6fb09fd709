import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { App } from "aws-cdk-lib";
import { buildApp } from "../src/app-builder.js";
import { loadDeployment, type Deployment, type OrganizationDeployment } from "../src/deployment.js";

export const INFRA_DIR = join(dirname(fileURLToPath(import.meta.url)), "..");

export function exampleDeployment(overrides: Partial<OrganizationDeployment> = {}): OrganizationDeployment {
  const deployment = loadDeployment(exampleFile("deployment.example.json"));
  if (deployment.mode !== "organization") throw new Error("deployment.example.json is an organization's deployment");
  return { ...deployment, ...overrides };
}

/** deployment.single-account.example.json: the hub stack alone. */
export function singleAccountDeployment(): Deployment {
  return loadDeployment(exampleFile("deployment.single-account.example.json"));
}

function exampleFile(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(INFRA_DIR, name), "utf8")) as Record<string, unknown>;
}

/** The whole app, synthesized; bundling is skipped unless asked (it is tested once on its own). */
export function synthExample(
  options: { bundle?: boolean; deployment?: OrganizationDeployment; outdir?: string; reactHandlerEntry?: string } = {},
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

/** The single-account app, synthesized without bundling. */
export function synthSingleAccount(options: { outdir?: string; deployment?: Deployment } = {}) {
  const app = new App({
    ...(options.outdir ? { outdir: options.outdir } : {}),
    context: { "aws:cdk:bundling-stacks": [] },
  });
  const built = buildApp(options.deployment ?? singleAccountDeployment(), app);
  return { ...built, assembly: app.synth() };
}
