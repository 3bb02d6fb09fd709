/**
 * The WAF check's data, kept apart from its logic so it can be reviewed and changed without touching code.
 *
 * The classification table maps the NAMES of Workload Security IPS application types (as each tenant's
 * `/applicationtypes` lists them) and of assigned IPS rules to instance classes. Names are a vendor convention, never
 * tenant-local ids. A pattern is a case-insensitive regular expression.
 *
 * The catalogue maps each class to the AWS WAF (v2) managed rule groups it calls for. Names are AWS Managed Rules as
 * in the AWS WAF Developer Guide ("AWS Managed Rules rule groups list"); at run time they are confirmed against
 * `ListAvailableManagedRuleGroups`, and a group the account cannot use is reported as unavailable, never added. The
 * Trend Micro "Managed Rules for AWS WAF" were WAF Classic Marketplace groups (Classic ended 2025-09-30); a vendor's
 * WAFv2 group is offered only where `ListAvailableManagedRuleGroups` lists one (`VENDOR_GROUP_PATTERNS`). Paid groups
 * (Bot Control, ATP, ACFP) are never recommended by default.
 */
export const INSTANCE_CLASSES = ["web-server", "web-application", "database-backed"] as const;
export type InstanceClass = (typeof INSTANCE_CLASSES)[number];

export interface ClassPattern {
  class: InstanceClass;
  /** Case-insensitive regular expression over application type names. */
  applicationType: string;
  /** Case-insensitive regular expression over assigned IPS rule names (absent: application types only). */
  ruleName?: string;
}

export const CLASSIFICATION_TABLE: readonly ClassPattern[] = [
  {
    class: "web-server",
    applicationType: "^Web Server|Apache|nginx|IIS|Tomcat|HTTP|Web Application Tomcat",
    ruleName: "^(Apache|Nginx|Microsoft IIS|Tomcat)\\b",
  },
  {
    class: "web-application",
    applicationType: "WordPress|Joomla|Drupal|CMS|PHP|Magento|Web Application",
    ruleName: "WordPress|Joomla|Drupal|PHP|Magento",
  },
  {
    class: "database-backed",
    applicationType: "Database|SQL|Oracle|MongoDB|Redis",
    ruleName: "SQL Injection|MySQL|PostgreSQL|Oracle Database",
  },
];

export interface ManagedGroupRef {
  vendorName: string;
  name: string;
}

const aws = (name: string): ManagedGroupRef => ({ vendorName: "AWS", name });

export const BASELINE_GROUPS: readonly ManagedGroupRef[] = [
  aws("AWSManagedRulesCommonRuleSet"),
  aws("AWSManagedRulesKnownBadInputsRuleSet"),
];

/** The groups a class calls for; `web-server` takes its operating system's group (Windows when the platform says so). */
export const CLASS_GROUPS: Readonly<Record<InstanceClass, readonly ManagedGroupRef[]>> = {
  "web-server": [aws("AWSManagedRulesLinuxRuleSet"), aws("AWSManagedRulesUnixRuleSet")],
  "web-application": [aws("AWSManagedRulesPHPRuleSet"), aws("AWSManagedRulesWordPressRuleSet")],
  "database-backed": [aws("AWSManagedRulesSQLiRuleSet")],
};

export const WINDOWS_SWAP: { from: string; to: string } = {
  from: "AWSManagedRulesLinuxRuleSet",
  to: "AWSManagedRulesWindowsRuleSet",
};

/** A vendor's WAFv2 group, offered for a class only when ListAvailableManagedRuleGroups lists it. */
export const VENDOR_GROUP_PATTERNS: readonly { vendorName: string; name: string; class: InstanceClass }[] = [
  { vendorName: "Trend Micro", name: "WebServer", class: "web-server" },
  { vendorName: "Trend Micro", name: "CMS", class: "web-application" },
];
