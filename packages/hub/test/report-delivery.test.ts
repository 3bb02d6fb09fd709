import { describe, expect, it } from "vitest";
import { parseHubConfig, systemClock } from "@wshub/core";
import type { RenderedFile } from "../src/context.js";
import { deliver } from "../src/report-delivery.js";

const MAX = 10_000;
const config = parseHubConfig({
  hub: { homeRegion: "eu-west-1", regions: ["eu-west-1"] },
  tenants: [{ name: "t", apiKeySecret: "s", url: "http://localhost:1" }],
  mapping: { organizationalUnits: { "ou-x": "t" } },
  reports: { sender: "reports@example.com", linkBucket: "reports-bucket", maxMessageBytes: MAX },
});
const meta = { runId: "run-1", week: "2026-W49", generatedAt: "2026-12-02T12:00:00.000Z" };
const file = (bytes: number): RenderedFile => ({
  filename: `f${bytes}.csv`,
  contentType: "text/csv",
  content: Buffer.alloc(bytes),
});

/** Each message is as big as its attachments' content plus a small body, so the test picks the outcome by size. */
function world() {
  const composed: { attachments: number; links: number }[] = [];
  const sent: number[] = [];
  const ctx = {
    config,
    clock: systemClock,
    logger: { debug() {}, info() {}, warn() {}, error() {} },
    links: { publish: async (key: string) => `https://links.example.com/${key}` },
    mailer: { send: async (m: { raw: Buffer }) => (sent.push(m.raw.length), { messageId: "m-1" }) },
  };
  const compose = async (attachments: RenderedFile[], links: { url: string }[]) => {
    composed.push({ attachments: attachments.length, links: links.length });
    const body = 1_000 + attachments.reduce((sum, a) => sum + Math.ceil(a.content.length / 3) * 4, 0);
    return { subject: "report", raw: Buffer.alloc(body) };
  };
  return { ctx, compose, composed, sent };
}

describe("deliver", () => {
  it("attaches the files when the message fits", async () => {
    const w = world();
    const outcome = await deliver(w.ctx, { label: "a", to: ["o@example.com"], files: [file(3_000)], meta }, w.compose);
    expect(outcome.status).toBe("sent");
    expect(w.composed).toEqual([{ attachments: 1, links: 0 }]);
  });

  it("sends links after composing once when only the whole message is over the limit", async () => {
    const w = world();
    const outcome = await deliver(w.ctx, { label: "a", to: ["o@example.com"], files: [file(6_900)], meta }, w.compose);
    expect(outcome.status).toBe("link");
    expect(w.composed).toEqual([
      { attachments: 1, links: 0 },
      { attachments: 0, links: 1 },
    ]);
  });

  it("goes straight to links, composing no message that cannot go, when the attachments alone are over it", async () => {
    const w = world();
    const files = [file(4_000), file(4_000)];
    const outcome = await deliver(w.ctx, { label: "a", to: ["o@example.com"], files, meta }, w.compose);
    expect(outcome.status).toBe("link");
    expect(w.composed).toEqual([{ attachments: 0, links: 2 }]);
    expect(w.sent).toEqual([1_000]);
  });
});
