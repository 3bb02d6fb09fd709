import { generateScenario, startSandbox, type ScenarioSize } from "@wshub/sandbox";

/** `--only generate|sandbox`: the generator alone (time and heap), or also the sandbox's start and stop. */
export async function benchStartup(options: { size: ScenarioSize; seed: number; only: string }): Promise<string> {
  const { size, seed, only } = options;
  const withSandbox = only === "sandbox";
  const heapBefore = process.memoryUsage().heapUsed;
  const genStart = performance.now();
  const generated = generateScenario({ seed, size });
  const generationMs = Math.round(performance.now() - genStart);
  const heapMb = Math.round((process.memoryUsage().heapUsed - heapBefore) / 2 ** 20);
  const { accounts, findings, instances, rulesPerTenant } = generated.facts;
  const lines = [
    `## ${size} (${only}): ${accounts} accounts, ${findings} findings, ${instances} instances, ${rulesPerTenant} rules/tenant`,
    `generation ${generationMs} ms, scenario heap ${heapMb} MB, process RSS ${Math.round(process.memoryUsage().rss / 2 ** 20)} MB`,
  ];
  if (withSandbox) {
    const started = performance.now();
    const sandbox = await startSandbox(generated.scenario);
    lines.push(`sandbox start (incl. seeding) ${Math.round(performance.now() - started)} ms`);
    const stopping = performance.now();
    await sandbox.stop();
    lines.push(`sandbox stop ${Math.round(performance.now() - stopping)} ms`);
  }
  return lines.join("\n");
}
