import { simpleParser } from "mailparser";
import { accountInsights, countCoverage, mergeInsights, shieldStats, type ReportInsights } from "@wshub/core";
import { describe, expect, it } from "vitest";
import {
  accountHtmlReport,
  composeAccountEmail,
  MAX_HTML_ROWS,
  organizationHtmlReport,
  rankRows,
} from "../src/index.js";
import { accountCoverage, accountRun, coverageRow, META, mixedRows, runRecord } from "./fixtures.js";

const HOSTILE = `</td><script>alert("x")</script><img src=x onerror=alert(1)>`;

function insightsOf(rows = mixedRows()): ReportInsights {
  const insights = accountInsights(rows);
  return {
    asOf: "2026-11-25T08:00:00.000Z",
    kpis: insights.kpis,
    shield: shieldStats(insights.shield, "2026-11-25T08:00:00.000Z"),
    trend: [],
  };
}

describe("HTML report", () => {
  const rows = [
    ...mixedRows(),
    coverageRow({ instanceName: HOSTILE, coverage: "no-agent", vulnerabilityId: "CVE-2024-7777" }),
  ];
  const coverage = accountCoverage(rows, { accountName: HOSTILE });
  const html = accountHtmlReport({
    coverage,
    counts: countCoverage(rows),
    meta: META,
    insights: insightsOf(rows),
    ranked: rankRows(rows, "2026-11-25T08:00:00.000Z"),
  });

  it("is one self-contained page: one script, allowed by hash, nothing to fetch", () => {
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).toMatch(
      /Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-[A-Za-z0-9+/=]+'"/,
    );
    expect(html).not.toMatch(/<[a-z]+[^>]*\s(src|href)=/);
    expect(html).not.toContain("http://");
  });

  it("escapes every name, in text and in attributes", () => {
    expect(html).not.toContain("<img");
    expect(html).toContain(
      "&lt;/td&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;",
    );
  });

  it("lists the rows in priority order and the status counts", () => {
    const priorities = [...html.matchAll(/<tr><td class="n" data-v="(\d+)">/g)].map((m) => Number(m[1]));
    expect(priorities.slice(-rows.length)).toEqual(rows.map((_, i) => i + 1));
    expect(html).toContain(`<span data-status-count="total">${rows.length}</span>`);
    expect(html).toContain(`<span data-status-count="no-agent">7</span>`);
  });

  it("shows an account's first rows by priority when it has too many, and says so", () => {
    const many = Array.from({ length: MAX_HTML_ROWS + 3 }, (_, i) => coverageRow({ vulnerabilityId: `CVE-2025-${i}` }));
    const big = accountHtmlReport({
      coverage: accountCoverage(many),
      counts: countCoverage(many),
      meta: META,
      insights: insightsOf(many),
      ranked: rankRows(many, META.generatedAt),
    });
    expect(big).toContain(`The first ${MAX_HTML_ROWS} of ${MAX_HTML_ROWS + 3} rows by priority`);
  });

  it("the organization's page lists every account and the organization's first rows", () => {
    const org = mergeInsights([accountInsights(rows)]);
    const page = organizationHtmlReport({
      run: runRecord(),
      accounts: [accountRun({ accountName: HOSTILE, counts: countCoverage(rows), insights: accountInsights(rows) })],
      meta: META,
      insights: { ...insightsOf(rows), top: org.top, accountTrends: {} },
    });
    expect(page).not.toContain("<img");
    expect(page.match(/<table id="accounts"[\s\S]*?<\/table>/)?.[0].match(/<tr>/g)).toHaveLength(2);
    expect(page.match(/<table id="top-rows"[\s\S]*?<\/table>/)?.[0].match(/<tr>/g)).toHaveLength(21);
  });
});

describe("account e-mail with insights", () => {
  it("carries the KPIs and the top five rows in both parts, escaped", async () => {
    const rows = [coverageRow({ coverage: "rule-available", instanceId: HOSTILE }), ...mixedRows()];
    const ranked = rankRows(rows, META.generatedAt);
    const message = await composeAccountEmail(
      {
        from: "wshub@example.com",
        to: ["owner@example.com"],
        account: accountCoverage(rows),
        counts: countCoverage(rows),
        meta: META,
        insights: insightsOf(rows),
        top: ranked.slice(0, 5).map((row, i) => ({ ...row, priority: i + 1 })),
      },
      { attachments: [] },
    );
    const mail = await simpleParser(message.raw);
    expect(mail.text).toContain("Shield first (top 5 by priority):");
    expect(mail.text).toContain("Projected coverage");
    expect(mail.html).toContain("<h3>Shield first (top 5 by priority)</h3>");
    expect(mail.html).not.toContain("<script>");
    expect(mail.html).toContain("&lt;script&gt;");
  });
});
