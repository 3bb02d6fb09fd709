import { parseHubConfig, type OrgAccount } from "@wshub/core";
import { describe, expect, it } from "vitest";
import { ReportPool } from "../src/workers/report-pool.js";

const FIXTURE = new URL("./fixtures/slow-report-worker.mjs", import.meta.url);
const CONFIG = parseHubConfig({
  hub: { homeRegion: "us-east-1", regions: ["us-east-1"] },
  collection: { mode: "delegated-admin" },
  reports: { sender: "wshub@example.com" },
});
const META = { runId: "run-x", week: "2026-W49", generatedAt: "2026-12-02T00:00:00.000Z" };

const account = (id: string, delayMs: number): OrgAccount => ({
  id,
  name: String(delayMs),
  email: "",
  status: "ACTIVE",
  ouPath: [],
  tags: {},
});

describe("the report pool", () => {
  it("fails only the reports a dead worker held; the others complete and a new worker takes later reports", async () => {
    const pool = new ReportPool({ config: CONFIG, human: false }, { size: 2, filename: FIXTURE });
    try {
      const jobs = Array.from({ length: 6 }, (_, i) =>
        pool.report("run-x", account(`00000000000${i}`, 1_500), { assignmentEvents: [], meta: META }),
      );
      await new Promise((resolve) => setTimeout(resolve, 500));
      await pool.threads[0]?.terminate();
      const settled = await Promise.allSettled(jobs);
      const failed = settled.filter((s) => s.status === "rejected").length;
      expect(failed).toBeGreaterThan(0);
      expect(failed).toBeLessThanOrEqual(2);
      expect(settled.filter((s) => s.status === "fulfilled")).toHaveLength(6 - failed);
      const later = await Promise.all(
        ["100000000000", "100000000001"].map((id) =>
          pool.report("run-x", account(id, 10), { assignmentEvents: [], meta: META }),
        ),
      );
      expect(later.map((o) => o.recipients)).toEqual([["100000000000"], ["100000000001"]]);
    } finally {
      await pool.close();
    }
  });
});
