import { createRequire } from "node:module";
import { ERROR_CODES, WshubError } from "@wshub/core";
import { dirname, join } from "node:path";
import { freePort, startService, type ServiceProcess } from "./process/child.js";

/**
 * DynamoDB Local 1.25 from the jar inside amplify-dynamodb-simulator, started with java directly (the package's
 * own launcher needs the Amplify CLI). In memory: a sandbox starts empty. Its heap holds every item, so the default 1 GB
 * fits M (200,000 findings); `WSHUB_DYNAMODB_LOCAL_HEAP` (a java `-Xmx` value such as `6g`) raises it for L.
 */
export async function startDynamoDbLocal(): Promise<ServiceProcess & { endpoint: string }> {
  const require = createRequire(import.meta.url);
  const emulatorDir = join(dirname(require.resolve("amplify-dynamodb-simulator/package.json")), "emulator");
  const port = await freePort();
  const service = await startService(
    "DynamoDB Local",
    "java",
    [
      `-Xmx${heapSize()}`,
      "-Djava.library.path=./DynamoDBLocal_lib",
      "-jar",
      "DynamoDBLocal.jar",
      "-inMemory",
      "-port",
      String(port),
    ],
    port,
    { cwd: emulatorDir, startTimeoutMs: 60_000 },
  );
  return Object.assign(service, { endpoint: `http://127.0.0.1:${port}` });
}

function heapSize(): string {
  const wanted = process.env["WSHUB_DYNAMODB_LOCAL_HEAP"] ?? "1g";
  if (!/^\d+[mg]$/i.test(wanted))
    throw new WshubError(ERROR_CODES.CONFIG_INVALID, `WSHUB_DYNAMODB_LOCAL_HEAP must look like 1g or 4096m`, {
      variable: "WSHUB_DYNAMODB_LOCAL_HEAP",
      value: wanted,
    });
  return wanted;
}
