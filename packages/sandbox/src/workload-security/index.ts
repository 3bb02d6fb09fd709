export {
  startWorkloadSecuritySimulator,
  type WorkloadSecuritySimulator,
  type WorkloadSecuritySimulatorOptions,
} from "./server.js";
export { TenantModel } from "./model.js";
export { MAX_ITEMS } from "./search.js";
export { hostVulnerabilitiesOf } from "./host-vulnerabilities.js";
