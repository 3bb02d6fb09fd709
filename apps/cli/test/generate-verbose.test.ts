import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { generateCommand } from "../src/commands/generate.js";

afterEach(() => vi.restoreAllMocks());

/** What `wshub generate` writes on stderr (stdout, its JSON answer, is swallowed). */
async function stderrOf(verbose: boolean): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "wshub-generate-"));
  let written = "";
  vi.spyOn(process.stdout, "write").mockImplementation(() => true);
  vi.spyOn(process.stderr, "write").mockImplementation((chunk) => ((written += String(chunk)), true));
  try {
    await generateCommand({ size: "tiny", seed: 1, out: join(dir, "t.json"), verbose });
    return written;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("wshub generate --verbose", () => {
  it("adds debug lines on stderr, which stays empty without it", async () => {
    expect(await stderrOf(false)).toBe("");
    const lines = (await stderrOf(true)).trim().split("\n");
    expect(lines.map((line) => (JSON.parse(line) as { message: string }).message)).toEqual([
      "scenario generated",
      "scenario written",
    ]);
  });
});
