import { mkdir, mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "csv-parse/sync";
import { COVERAGE_STATUSES } from "@wshub/core";
import { runHub } from "@wshub/hub";
import { simpleParser } from "mailparser";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exampleSmall, startWorld, type World } from "../src/harness.js";

/**
 * The HTML reports as a person sees them: opened in headless Chromium (Debian's package; `./dev test` installs it),
 * read through the DOM. Account, instance and rule names carry markup an attacker could choose; none of it may run.
 * Screenshots go to test/artifacts/ (gitignored), kept on purpose so a developer can look at the last run's pages.
 */
const CHROMIUM = process.env["WSHUB_CHROMIUM"] ?? "/usr/bin/chromium";
const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), "..", "artifacts");
const ACCOUNT_NAME = `pay<script>alert(1)</script>"><img src=x onerror=alert(2)>`;
const INSTANCE_NAME = `web<img src=x onerror=alert(3)>`;
const RULE_NAME = `Nginx "><svg onload=alert(4)> smuggling`;
const PAYMENTS = "333333333333";

let world: World;
let browser: BrowserContext;
let profile: string;
let folder: string;
const dialogs: string[] = [];
const requests: string[] = [];

beforeAll(async () => {
  const scenario = exampleSmall();
  scenario.organization.accounts.find((a) => a.id === PAYMENTS)!.name = ACCOUNT_NAME;
  const web = scenario.instances.find((i) => i.instanceId === "i-0a10000000000001")!;
  web.name = INSTANCE_NAME;
  web.tags = { ...web.tags, Name: INSTANCE_NAME };
  scenario.workloadSecurity.tenants.find((t) => t.name === "emea")!.ipsRules.find((r) => r.id === 102)!.name =
    RULE_NAME;
  world = await startWorld(scenario);
  const outcome = await runHub(await world.hub());
  folder = join(world.outputDir, outcome.run.runId);
  profile = await mkdtemp(join(tmpdir(), "wshub-chromium-"));
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
  await mkdir(ARTIFACTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  if (profile) await rm(profile, { recursive: true, force: true });
  await world?.stop();
});

async function open(prefix: string): Promise<Page> {
  const name = (await readdir(folder)).find((f) => f.startsWith(prefix) && f.endsWith(".html"))!;
  const page = await browser.newPage();
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on("request", (request) => requests.push(request.url()));
  await page.goto(`file://${join(folder, name)}`);
  return page;
}

async function csvOf(accountId: string): Promise<Record<string, string>[]> {
  const name = (await readdir(folder)).find((f) => f.includes(accountId) && f.endsWith(".csv"))!;
  return parse(await readFile(join(folder, name), "utf8"), { columns: true }) as Record<string, string>[];
}

const statusCounts = (page: Page) =>
  page.$$eval("[data-status-count]", (cells) =>
    Object.fromEntries(cells.map((c) => [c.getAttribute("data-status-count"), Number(c.textContent)])),
  );

describe("HTML reports in headless Chromium", () => {
  it("an account's report: counts equal the CSV's, rows in priority order, sortable and filterable, nothing injected", async () => {
    const page = await open(`ips-coverage-${PAYMENTS}-`);
    const csv = await csvOf(PAYMENTS);
    const expected: Record<string, number> = { total: csv.length };
    for (const status of COVERAGE_STATUSES) expected[status] = csv.filter((r) => r["coverage"] === status).length;
    expect(await statusCounts(page)).toEqual(expected);

    const tableRows = () =>
      page.$$eval("#coverage-rows tbody tr:not([hidden])", (rows) =>
        rows.map((r) => [...r.querySelectorAll("td")].map((td) => td.textContent ?? "")),
      );
    const rows = await tableRows();
    expect(rows.map((r) => [r[0], r[2], r[4]])).toEqual(
      csv.map((r) => [r["priority"], r["vulnerability_id"], r["coverage"]]),
    );
    await page.screenshot({ path: join(ARTIFACTS, "html-report-account.png"), fullPage: true });

    // Names are shown as text; nothing they carry became an element or ran.
    expect(await page.textContent("h1")).toContain(ACCOUNT_NAME);
    expect(await page.textContent("#coverage-rows")).toContain(INSTANCE_NAME);
    expect(await page.textContent("#coverage-rows")).toContain(RULE_NAME);
    expect(await page.$$eval("img", (imgs) => imgs.length)).toBe(0);
    expect(await page.$$eval("script", (scripts) => scripts.length)).toBe(1);
    expect(await page.$$eval("svg", (svgs) => svgs.map((s) => s.id))).toEqual(["trend-chart"]);

    // The page's own script runs (the CSP allows it by hash): sort by priority, descending, then filter.
    await page.click("#coverage-rows th:has-text('Priority')");
    await page.click("#coverage-rows th:has-text('Priority')");
    expect((await tableRows()).map((r) => Number(r[0]))).toEqual(csv.map((r) => Number(r["priority"])).reverse());
    await page.fill("input[data-table=coverage-rows]", "cve-2024-9999");
    expect((await tableRows()).map((r) => r[2])).toEqual(["CVE-2024-9999"]);

    const kpi = (key: string) => page.textContent(`[data-kpi=${key}] b`);
    expect(await kpi("coverage")).toBe("16.7 %");
    expect(await kpi("projected")).toBe("50.0 %");
    expect(await kpi("shieldable")).toBe("2");
    await page.close();
  });

  it("the organization's report: totals equal the accounts' CSVs, one line per account, trend chart", async () => {
    const page = await open("ips-coverage-organization-");
    const all = (
      await Promise.all(["111111111111", "222222222222", PAYMENTS, "444444444444", "555555555555"].map(csvOf))
    ).flat();
    const counts = await statusCounts(page);
    expect(counts["total"]).toBe(all.length);
    for (const status of COVERAGE_STATUSES)
      expect(counts[status]).toBe(all.filter((r) => r["coverage"] === status).length);
    expect(await page.$$eval("#accounts tbody tr", (rows) => rows.length)).toBe(6);
    expect(await page.$$eval("#trend-chart rect.seg", (segments) => segments.length)).toBe(
      COVERAGE_STATUSES.filter((s) => counts[s]! > 0).length,
    );
    expect(await page.textContent("#top-rows")).toContain(ACCOUNT_NAME);
    await page.screenshot({ path: join(ARTIFACTS, "html-report-organization.png"), fullPage: true });
    await page.close();
  });

  it("opened, the reports fetched nothing and ran no injected script", () => {
    expect(dialogs).toEqual([]);
    expect(requests.filter((url) => !url.startsWith("file://"))).toEqual([]);
  });

  it("the account e-mail escapes the names in its HTML part and attaches the HTML report", async () => {
    const mail = await simpleParser(await readFile(join(world.outputDir, "emails", `account-${PAYMENTS}.eml`)));
    expect(mail.html).not.toContain("<script>");
    expect(mail.html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(mail.text).toContain(ACCOUNT_NAME);
    const report = mail.attachments?.find((a) => a.filename?.endsWith(".html"));
    expect(report?.contentType).toBe("text/html");
    expect(report?.content.toString()).toContain("&lt;img src=x onerror=alert(3)&gt;");
  });
});
