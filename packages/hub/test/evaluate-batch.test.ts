import { describe, expect, it } from "vitest";
import { evaluationBatches, type PlannedAccount } from "../src/index.js";

function planned(id: string): PlannedAccount {
  return {
    account: { id, name: id, email: `${id}@example.com`, status: "ACTIVE", ouPath: [], tags: {} },
    tenant: { accountId: id, tenant: null, source: "default", reason: "test" },
  };
}

describe("evaluationBatches", () => {
  it("cuts each tenant's accounts into batches of the given size, never mixing tenants", () => {
    const tenants = new Map<string | null, PlannedAccount[]>([
      ["emea", ["1", "2", "3", "4", "5"].map(planned)],
      [null, ["6"].map(planned)],
    ]);
    expect(evaluationBatches(tenants, 2)).toEqual([
      { tenant: "emea", accountIds: ["1", "2"] },
      { tenant: "emea", accountIds: ["3", "4"] },
      { tenant: "emea", accountIds: ["5"] },
      { tenant: "", accountIds: ["6"] },
    ]);
  });
});
