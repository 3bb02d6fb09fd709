import { idParam, objectBody, type ApiRequest, type Route } from "./request.js";
import { parseSearch, runSearch } from "./search.js";
import { ApiError } from "./errors.js";
import type { ComputerState, TaskState, TenantModel } from "./model.js";

const TASK_TYPES = new Set([
  "scan-for-open-ports",
  "send-alert-summary",
  "discover-computers",
  "run-script",
  "send-policy",
  "generate-report",
  "synchronize-directory",
  "synchronize-users",
  "scan-for-recommendations",
  "synchronize-vcenter",
  "scan-for-integrity-changes",
  "scan-for-malware",
  "check-for-security-updates",
  "synchronize-cloud-account",
  "check-for-software-updates",
  "update-suspicious-objects-list",
]);

/** The `ScheduledTask` properties the spec defines; anything else a client sends is not echoed back. */
const TASK_FIELDS = [
  "name",
  "type",
  "scheduleDetails",
  "enabled",
  "lastRunTime",
  "nextRunTime",
  "scanForOpenPortsTaskParameters",
  "sendAlertSummaryTaskParameters",
  "discoverComputersTaskParameters",
  "runScriptTaskParameters",
  "sendPolicyTaskParameters",
  "generateReportTaskParameters",
  "synchronizeDirectoryTaskParameters",
  "scanForRecommendationsTaskParameters",
  "synchronizeVCenterTaskParameters",
  "scanForIntegrityChangesTaskParameters",
  "scanForMalwareTaskParameters",
  "checkForSecurityUpdatesTaskParameters",
  "synchronizeCloudAccountTaskParameters",
  "updateSuspiciousObjectsListTaskParameters",
];

type Body = Record<string, unknown>;

function renderTask(task: TaskState): Body {
  const wire: Body = {};
  for (const field of TASK_FIELDS) if (task.body[field] !== undefined) wire[field] = task.body[field];
  return { ...wire, ID: task.id };
}

/**
 * `POST /scheduledtasks`. With `runNow: true` the scan runs at once (synchronously: a client that polls sees the
 * result on its first poll). Persistence: the vendor sample makes a task with `recurrenceType: "none"` and
 * `recurrenceCount: 1` "so that the task is deleted after running", so exactly such a task is deleted right after
 * its run-now execution (the answer still carries its ID); every other task stays listed, with `lastRunTime`.
 */
function createTask(r: ApiRequest): Body {
  const body = objectBody(r);
  if (!TASK_TYPES.has(String(body["type"])))
    throw new ApiError(400, `Invalid scheduled task type "${String(body["type"])}".`);
  if (typeof body["name"] !== "string" || body["name"] === "")
    throw new ApiError(400, "A scheduled task needs a name.");
  // Targets are resolved first, so a task with a bad computer filter is rejected without being created.
  const targets = body["runNow"] === true ? scanTargets(r.model, body) : undefined;
  const task = r.model.addTask({ ...body, enabled: body["enabled"] ?? true });
  if (body["runNow"] === true) runTask(r, task, targets);
  const answer = renderTask(task);
  if (body["runNow"] === true && isRunOnceThenDelete(task.body)) r.model.tasks.delete(task.id);
  return answer;
}

/** `POST /scheduledtasks/{id}`: partial modify; `runNow: true` runs the task again (the vendor's way to re-run). */
function modifyTask(r: ApiRequest): Body {
  const task = taskOf(r);
  const body = objectBody(r);
  if (body["type"] !== undefined && !TASK_TYPES.has(String(body["type"])))
    throw new ApiError(400, `Invalid scheduled task type "${String(body["type"])}".`);
  const merged = { ...task.body };
  for (const field of TASK_FIELDS)
    if (body[field] !== undefined && field !== "lastRunTime") merged[field] = body[field];
  const targets = body["runNow"] === true ? scanTargets(r.model, merged) : undefined;
  task.body = merged;
  if (body["runNow"] === true) runTask(r, task, targets);
  return renderTask(task);
}

function taskOf(r: ApiRequest): TaskState {
  const task = r.model.tasks.get(idParam(r, "scheduledTaskID"));
  if (!task) throw new ApiError(404, "The scheduled task does not exist.");
  return task;
}

function listTasks(r: ApiRequest): Body[] {
  return [...r.model.tasks.values()].sort((a, b) => a.id - b.id).map(renderTask);
}

export const TASK_ROUTES: Route[] = [
  {
    method: "GET",
    path: "/scheduledtasks",
    operationId: "listScheduledTasks",
    handler: (r) => ({ scheduledTasks: listTasks(r) }),
  },
  { method: "POST", path: "/scheduledtasks", operationId: "createScheduledTask", handler: createTask },
  {
    method: "POST",
    path: "/scheduledtasks/search",
    operationId: "searchScheduledTasks",
    handler: (r) => ({ scheduledTasks: runSearch(listTasks(r), parseSearch(r.body, "ScheduledTask")) }),
  },
  {
    method: "GET",
    path: "/scheduledtasks/:scheduledTaskID",
    operationId: "describeScheduledTask",
    handler: (r) => renderTask(taskOf(r)),
  },
  { method: "POST", path: "/scheduledtasks/:scheduledTaskID", operationId: "modifyScheduledTask", handler: modifyTask },
  {
    method: "DELETE",
    path: "/scheduledtasks/:scheduledTaskID",
    operationId: "deleteScheduledTask",
    // 200 with no body, as the spec documents for deletes.
    handler: (r) => void r.model.tasks.delete(taskOf(r).id),
  },
];

function isRunOnceThenDelete(body: Body): boolean {
  const schedule = body["scheduleDetails"] as Body | undefined;
  return schedule?.["recurrenceType"] === "none" && schedule["recurrenceCount"] === 1;
}

const SCAN_PARAMETERS: Record<string, string> = {
  "scan-for-recommendations": "scanForRecommendationsTaskParameters",
  "scan-for-integrity-changes": "scanForIntegrityChangesTaskParameters",
};

/** The computers a scan task targets (no filter: all computers); undefined for tasks that scan nothing here. */
function scanTargets(model: TenantModel, body: Body): ComputerState[] | undefined {
  const parametersKey = SCAN_PARAMETERS[String(body["type"])];
  if (!parametersKey) return undefined;
  const parameters = (body[parametersKey] ?? {}) as { computerFilter?: Body };
  return filteredComputers(model, parameters.computerFilter ?? { type: "all-computers" });
}

/** Agents that cannot run a scan: the task waits for them, so nothing they report advances. */
const UNREACHABLE = new Set(["inactive", "not-supported"]);

/**
 * Record that a scan ran on the targeted computers whose agent can run it; every task gets its `lastRunTime`. An
 * integrity scan does nothing where integrity monitoring is off (its `lastIntegrityScan` stays as it was: there is
 * nothing to verify the host against).
 */
function runTask(r: ApiRequest, task: TaskState, targets: ComputerState[] | undefined): void {
  for (const computer of targets ?? []) {
    if (UNREACHABLE.has(computer.agentStatus)) continue;
    if (task.body["type"] === "scan-for-recommendations") r.model.scanForRecommendations(computer, r.now);
    else if (computer.integrityMonitoringState !== "off") computer.lastIntegrityScan = r.now;
  }
  r.model.touch();
  task.body["lastRunTime"] = r.now;
}

function filteredComputers(model: TenantModel, filter: Body): ComputerState[] {
  switch (filter["type"]) {
    case "computer": {
      const computer = model.computers.get(Number(filter["computerID"]));
      if (!computer) throw new ApiError(400, `The computer ${String(filter["computerID"])} does not exist.`);
      return [computer];
    }
    case "all-computers":
      return [...model.computers.values()];
    case "computers-using-policy":
    case "computers-using-policy-or-subpolicy": {
      const policyId = Number(filter["policyID"]);
      if (!model.policies.has(policyId))
        throw new ApiError(400, `The policy ${String(filter["policyID"])} does not exist.`);
      return model.computersUnderPolicy(policyId, filter["type"] === "computers-using-policy-or-subpolicy");
    }
    default:
      throw new ApiError(400, `Unsupported computerFilter type "${String(filter["type"])}".`);
  }
}
