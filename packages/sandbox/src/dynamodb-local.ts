import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { freePort, startService, type ServiceProcess } from "./process/child.js";

/**
 * DynamoDB Local 1.25 from the jar inside amplify-dynamodb-simulator, started with java directly (the package's
 * own launcher needs the Amplify CLI). In memory: a sandbox starts empty.
 */
export async function startDynamoDbLocal(): Promise<ServiceProcess & { endpoint: string }> {
  const require = createRequire(import.meta.url);
  const emulatorDir = join(dirname(require.resolve("amplify-dynamodb-simulator/package.json")), "emulator");
  const port = await freePort();
  const service = await startService(
    "DynamoDB Local",
    "java",
    [
      "-Xmx1g",
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
