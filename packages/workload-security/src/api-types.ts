/**
 * Wire types generated from the vendor's OpenAPI document (spec/, version 50.0.827) by openapi-typescript;
 * regenerate with `pnpm gen:ws-types`. Every property is optional, as in the spec.
 */
import type { components, paths } from "./generated/spec.js";

export type WsPaths = paths;
export type WsSchemas = components["schemas"];
export type WsComputer = WsSchemas["computer"];
export type WsComputers = WsSchemas["Computers"];
export type WsPolicy = WsSchemas["policy"];
export type WsPolicies = WsSchemas["policies"];
export type WsIpsRule = WsSchemas["intrusionPreventionRule"];
export type WsIpsRules = WsSchemas["IntrusionPreventionRules"];
export type WsIpsAssignments = WsSchemas["intrusionPreventionAssignments"];
export type WsRuleIds = WsSchemas["RuleIDs"];
export type WsSearchFilter = WsSchemas["searchFilter"];
export type WsSearchCriteria = WsSchemas["searchCriteria"];
export type WsScheduledTask = WsSchemas["ScheduledTask"];
export type WsScheduledTasks = WsSchemas["ScheduledTasks"];
export type WsApiKeyCurrent = WsSchemas["apiKeyCurrent"];
export type WsApplicationType = WsSchemas["applicationType"];

/** Values of the `expand` query parameter of the computer operations. */
export type WsExpand = NonNullable<paths["/computers"]["get"]["parameters"]["query"]>["expand"] extends
  (infer E)[] | undefined
  ? E
  : string;
