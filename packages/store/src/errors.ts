import { ERROR_CODES, WshubError } from "@wshub/core";

/** A missing table is the first thing a new setup meets: say how to make them. */
const MISSING_TABLE_HINT =
  " (the table does not exist: deploy the hub stack, or run once with --create-tables to create wshub's tables)";

export function storeError(table: string, operation: string, error: unknown): WshubError {
  if (error instanceof WshubError) return error;
  const name = (error as { name?: string }).name ?? "Error";
  const message = (error as Error).message ?? String(error);
  const hint = name === "ResourceNotFoundException" ? MISSING_TABLE_HINT : "";
  return new WshubError(
    ERROR_CODES.STORE_FAILED,
    `DynamoDB ${operation} on ${table} failed: ${name}: ${message}${hint}`,
    { table, operation, awsError: name },
    { cause: error },
  );
}

/** Run a DynamoDB call and map its failure to STORE_FAILED naming the table and operation. */
export async function guarded<T>(table: string, operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw storeError(table, operation, error);
  }
}
