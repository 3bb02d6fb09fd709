import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Vitest global setup: every test file's temp folders (`mkdtemp(tmpdir())`, the CLI's and the sandbox's too) go
 * under one folder of this run, removed when the run ends, so the suite leaves nothing in /tmp whatever a test
 * forgets to clean. Workers and the processes they spawn inherit TMPDIR.
 */
export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), "wshub-tests-"));
  process.env["TMPDIR"] = root;
  return () => rmSync(root, { recursive: true, force: true });
}
