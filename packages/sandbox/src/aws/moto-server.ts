import { fileURLToPath } from "node:url";
import { ERROR_CODES, WshubError } from "@wshub/core";
import { freePort, sandboxPython, startService, type ServiceProcess } from "../process/child.js";

const LAUNCHER = fileURLToPath(new URL("../../python/moto_launcher.py", import.meta.url));

/** Ids the next matching create calls must get (see python/moto_launcher.py). */
export interface WantedIds {
  /** Account e-mail → account id, for `CreateAccount`. */
  accounts?: Record<string, string>;
  /** For `CreateOrganizationalUnit` with that parent id and name. */
  organizationalUnits?: { parentId: string; name: string; id: string }[];
  /** `ClientToken` → instance id, for `RunInstances`. */
  instances?: Record<string, string>;
  /** Name and e-mail of the management account (moto calls it "master", master@example.com). */
  managementAccount?: { name?: string; email?: string };
}

export interface MotoServer extends ServiceProcess {
  endpoint: string;
  announceIds(ids: WantedIds): Promise<void>;
}

/**
 * moto 5.2 (python3 -m moto.server, as the launcher runs it) on a free loopback port, in its own process group.
 * `python` defaults to $WSHUB_PYTHON or python3.
 */
export async function startMotoServer(python = sandboxPython()): Promise<MotoServer> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, PYTHONUNBUFFERED: "1" };
  // It would put every request into one account, whatever its credentials say.
  delete env["MOTO_ACCOUNT_ID"];
  const service = await startService("moto", python, [LAUNCHER, "--port", String(port)], port, {
    startTimeoutMs: 60_000,
    env,
  });
  const endpoint = `http://127.0.0.1:${port}`;
  return Object.assign(service, { endpoint, announceIds: (ids: WantedIds) => announceIds(endpoint, ids) });
}

/** Tell the launcher which ids the next matching create calls must get. */
export async function announceIds(motoEndpoint: string, ids: WantedIds): Promise<void> {
  const response = await fetch(`${motoEndpoint}/_sandbox/ids`, { method: "POST", body: JSON.stringify(ids) });
  if (!response.ok) {
    throw new WshubError(ERROR_CODES.SANDBOX_FAILED, `moto refused the wanted ids: ${await response.text()}`, {
      status: response.status,
    });
  }
}

export interface InstanceSeed {
  accountId: string;
  region: string;
  imageId: string;
  instances: { id: string; tags: Record<string, string>; instanceProfile?: string }[];
}

/** Create instances in bulk through the launcher's seeding route (moto's own EC2 backend, no request an instance). */
export async function seedInstances(motoEndpoint: string, seed: InstanceSeed): Promise<void> {
  const response = await fetch(`${motoEndpoint}/_sandbox/ec2/instances`, {
    method: "POST",
    body: JSON.stringify(seed),
  });
  if (!response.ok)
    throw new WshubError(ERROR_CODES.SANDBOX_FAILED, `moto could not seed instances: ${await response.text()}`, {
      accountId: seed.accountId,
      region: seed.region,
    });
}
