import type { ProgressListener } from "@wshub/hub";

/**
 * On a terminal, one status line that rewrites itself (accounts done, findings collected); elsewhere, a log line per
 * stage. Writes to stderr so stdout stays clean for results.
 */
export function terminalProgress(stream: NodeJS.WriteStream = process.stderr): ProgressListener & { done(): void } {
  const tty = stream.isTTY === true;
  let stage = "";
  let planned = 0;
  let done = 0;
  let failed = 0;
  let findings = 0;
  const render = () => {
    const line = `${stage}: ${done}/${planned} accounts${failed > 0 ? ` (${failed} not reachable)` : ""} · ${findings.toLocaleString("en-US")} findings read`;
    if (tty) stream.write(`\r\u001b[2K${line}`);
  };
  return {
    stage(name) {
      if (tty && stage !== "") stream.write("\n");
      stage = name;
      if (tty) render();
      else stream.write(`stage: ${name}\n`);
    },
    accountsPlanned(total) {
      planned = total;
    },
    accountCollected(_accountId, read, ok) {
      done++;
      if (!ok) failed++;
      findings += read;
      render();
    },
    done() {
      if (tty && stage !== "") stream.write("\n");
    },
  };
}
