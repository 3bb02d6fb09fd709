import { launcherChain } from "../launcher-chain.js";
import { localLogger } from "../logger.js";
import type { CommandOptions } from "../options.js";
import { writeSandboxConfig } from "../sandbox-config-file.js";
import { startSandboxFrom, stopOnSignals, type SandboxSource } from "../sandbox-session.js";

/**
 * `wshub sandbox [--scenario FILE | --generate SIZE --seed N] [--faults FILE]`: start the local sandbox, print one JSON object with every endpoint
 * and credential a client needs, and run until SIGINT/SIGTERM or until a process that launched it ends, then stop
 * everything.
 */
export async function sandboxCommand(
  options: SandboxSource & CommandOptions & { writeConfig?: string },
): Promise<number> {
  // Read before the sandbox starts (seconds), so a launcher that dies meanwhile is caught too.
  const launchers = launcherChain();
  const logger = localLogger(options.verbose);
  logger.debug("launcher chain recorded: the sandbox stops when one of these processes ends", { pids: launchers });
  const { sandbox, mapping } = await startSandboxFrom(options);
  logger.debug("sandbox started", { scenario: sandbox.info.scenario, startupMs: sandbox.info.startupMs });
  if (options.writeConfig !== undefined) {
    const written = await writeSandboxConfig(sandbox.info, options.writeConfig);
    process.stderr.write(`wrote ${written.config} and ${written.env} (set -a; . ${written.env}; set +a)\n`);
  }
  process.stdout.write(
    `${JSON.stringify(mapping ? { ...sandbox.info, generatedMapping: mapping } : sandbox.info, null, 2)}\n`,
  );
  process.stderr.write(`sandbox ready (scenario ${sandbox.info.scenario}); Ctrl-C stops it\n`);
  stopOnSignals(sandbox, { launchers });
  await new Promise(() => undefined);
  return 0;
}
