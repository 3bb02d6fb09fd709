import { ERROR_CODES, WshubError } from "@wshub/core";

export function storeError(table: string, operation: string, error: unknown): WshubError {
  if (error instanceof WshubError) return error;
  const name = (error as { name?: string }).name ?? "Error";
  const message = (error as Error).message ?? String(error);
  return new WshubError(
    ERROR_CODES.STORE_FAILED,
    `DynamoDB ${operation} on ${table} failed: ${name}: ${message}`,
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
