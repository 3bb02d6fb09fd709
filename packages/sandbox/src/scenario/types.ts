/**
 * A sandbox scenario (../shared/scenario/scenario.schema.json, version 1) with every default applied, so the
 * servers never have to remember what an absent field means.
 */
export type FindingStatus = "ACTIVE" | "SUPPRESSED" | "CLOSED";
export type FindingType = "PACKAGE_VULNERABILITY" | "NETWORK_REACHABILITY" | "CODE_VULNERABILITY";
export type ResourceType = "AWS_EC2_INSTANCE" | "AWS_ECR_CONTAINER_IMAGE" | "AWS_LAMBDA_FUNCTION";
export type Severity = "INFORMATIONAL" | "LOW" | "MEDIUM" | "HIGH" | "CRITICAL" | "UNTRIAGED";
export type IpsState = "inherited" | "prevent" | "detect" | "off";
export type AgentStatus = "active" | "warning" | "error" | "inactive" | "not-supported";

export interface ScenarioOrganizationalUnit {
  id: string;
  name: string;
  /** "root" or another OU id. */
  parentId: string;
}

export interface ScenarioAccount {
  id: string;
  name: string;
  email: string;
  /** "root" or an OU id. */
  ouId: string;
  status: "ACTIVE" | "SUSPENDED";
  tags: Record<string, string>;
  memberRoleDeployed: boolean;
}

export interface ScenarioInstance {
  accountId: string;
  region: string;
  instanceId: string;
  name?: string;
  tags: Record<string, string>;
  instanceProfileRoleName?: string;
}

/** An IAM policy document, as AWS takes it. */
export interface PolicyDocument {
  Version?: string;
  Statement: unknown;
}

/** An IAM role in a member account (signals: bucket → roles → instance profiles → instances). */
export interface ScenarioIamRole {
  accountId: string;
  name: string;
  trustedService: string;
  instanceProfile: boolean;
  inlinePolicies: Record<string, PolicyDocument>;
  managedPolicies: Record<string, PolicyDocument>;
  attachedPolicyArns: string[];
}

/** An S3 bucket and its bucket policy (the subject of Macie findings). */
export interface ScenarioBucket {
  accountId: string;
  region: string;
  name: string;
  policy?: PolicyDocument;
}

/** A rule of a WebACL: a managed rule group (override action none) or a rate-based rule (action block). */
export interface ScenarioWebAclRule {
  name: string;
  priority: number;
  managedGroup?: { vendorName: string; name: string };
  rateLimit?: number;
}

/** An AWS WAF (v2) WebACL: REGIONAL (load balancers of its account and region) or CLOUDFRONT (us-east-1). */
export interface ScenarioWebAcl {
  accountId: string;
  /** The home region when absent in the file; us-east-1 for CLOUDFRONT. */
  region: string;
  name: string;
  scope: "REGIONAL" | "CLOUDFRONT";
  defaultAction: "allow" | "block";
  rules: ScenarioWebAclRule[];
}

export interface ScenarioTargetGroup {
  name: string;
  port: number;
  instanceIds: string[];
}

/** An application load balancer with its target groups of EC2 instances and its REGIONAL WebACL (by name). */
export interface ScenarioLoadBalancer {
  accountId: string;
  region: string;
  name: string;
  scheme: "internet-facing" | "internal";
  targetGroups: ScenarioTargetGroup[];
  webAcl?: string;
}

/** A CloudFront distribution: its origins (load balancers of its account by name, or domain names) and WebACL. */
export interface ScenarioDistribution {
  accountId: string;
  name: string;
  originLoadBalancers: string[];
  customOrigins: string[];
  webAcl?: string;
  classicWebAclId?: string;
}

export interface ScenarioFinding {
  findingArn: string;
  accountId: string;
  region: string;
  type: FindingType;
  resourceType: ResourceType;
  resourceId: string;
  vulnerabilityId: string;
  title: string;
  packageName?: string;
  packageVersion?: string;
  severity: Severity;
  status: FindingStatus;
  inspectorScore?: number;
  fixAvailable?: "YES" | "NO" | "PARTIAL";
  exploitAvailable?: "YES" | "NO";
  /** Inspector's `epss.score` (0–1); wshub's addition to the shared format. */
  epssScore?: number;
  firstObservedAt: string;
  lastObservedAt: string;
  updatedAt: string;
}

export interface ScenarioIpsRule {
  id: number;
  identifier: string;
  name: string;
  cves: string[];
  severity?: "low" | "medium" | "high" | "critical";
  cvssScore?: number;
  type?: "custom" | "smart" | "vulnerability" | "exploit" | "hidden" | "policy" | "info";
  detectOnly: boolean;
  /** Absent: the tenant's first application type (the simulator resolves it). */
  applicationTypeId?: number;
}

/** An IPS application type of a tenant (`/applicationtypes`). */
export interface ScenarioApplicationType {
  id: number;
  name: string;
  description?: string;
  direction?: "incoming" | "outgoing";
  protocol?: "icmp" | "tcp" | "udp" | "tcp-udp";
  ports?: string[];
}

export interface ScenarioPolicy {
  id: number;
  name: string;
  parentId: number | null;
  ipsState: IpsState;
  ipsRuleIds: number[];
}

export interface ScenarioComputerEc2 {
  instanceId: string;
  accountId: string;
  region: string;
  viaConnector: boolean;
}

export interface ScenarioComputer {
  id: number;
  hostName: string;
  displayName?: string;
  /** 0: no policy. */
  policyId: number;
  ec2: ScenarioComputerEc2 | null;
  agentStatus: AgentStatus;
  ipsState: IpsState;
  ipsRuleIds: number[];
  antiMalwareState: "inherited" | "on" | "off";
  integrityMonitoringState: "inherited" | "real-time" | "on" | "off";
  lastAgentCommunication?: string;
}

export interface ScenarioTenant {
  name: string;
  region: string;
  apiKey: string;
  /** Absent: the sandbox's catalogue of vendor-style types (the simulator resolves it). */
  applicationTypes?: ScenarioApplicationType[];
  ipsRules: ScenarioIpsRule[];
  policies: ScenarioPolicy[];
  computers: ScenarioComputer[];
}

export interface Scenario {
  scenarioVersion: 1;
  name: string;
  description?: string;
  homeRegion: string;
  organization: {
    /** false: the sandbox creates no AWS Organization, the hub account stands alone (absent: true). */
    enabled?: boolean;
    managementAccountId: string;
    hubAccountId: string;
    organizationalUnits: ScenarioOrganizationalUnit[];
    accounts: ScenarioAccount[];
  };
  instances: ScenarioInstance[];
  /** Optional in the file and here (older builders of scenarios leave them out): absent is none. */
  iamRoles?: ScenarioIamRole[];
  buckets?: ScenarioBucket[];
  /** The web tier (WAF coverage); optional like the roles and buckets. */
  webAcls?: ScenarioWebAcl[];
  loadBalancers?: ScenarioLoadBalancer[];
  distributions?: ScenarioDistribution[];
  findings: ScenarioFinding[];
  workloadSecurity: { tenants: ScenarioTenant[] };
}

/** Whether the sandbox builds an AWS Organization for the scenario (every scenario but a stand-alone hub's). */
export function hasOrganization(scenario: Pick<Scenario, "organization">): boolean {
  return scenario.organization.enabled !== false;
}
