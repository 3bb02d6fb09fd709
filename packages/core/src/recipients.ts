import type { OrgAccount } from "./organization.js";

export interface RecipientRules {
  /** Account id → explicit addresses. Wins over the tag. */
  accounts: Record<string, string[]>;
  /** Account tag holding the addresses (comma, semicolon or space separated). */
  tagKey?: string | undefined;
}

export interface AccountRecipients {
  addresses: string[];
  source: "configuration" | "tag" | "none";
  /** Tag values that were not e-mail addresses, reported rather than silently dropped. */
  rejected: string[];
}

const EMAIL = /^[^\s@<>(),;:"[\]]+@[^\s@<>(),;:"[\]]+\.[^\s@<>(),;:"[\]]+$/;

export function isEmailAddress(value: string): boolean {
  return EMAIL.test(value);
}

export function recipientsFor(account: Pick<OrgAccount, "id" | "tags">, rules: RecipientRules): AccountRecipients {
  const explicit = rules.accounts[account.id];
  if (explicit && explicit.length > 0) return { addresses: unique(explicit), source: "configuration", rejected: [] };
  const tagValue = rules.tagKey === undefined ? undefined : account.tags[rules.tagKey];
  if (tagValue === undefined || tagValue.trim() === "") return { addresses: [], source: "none", rejected: [] };
  const parts = tagValue.split(/[\s,;]+/).filter((part) => part !== "");
  const addresses = parts.filter(isEmailAddress);
  const rejected = parts.filter((part) => !isEmailAddress(part));
  return { addresses: unique(addresses), source: addresses.length > 0 ? "tag" : "none", rejected };
}

function unique(values: string[]): string[] {
  return [...new Set(values.map((value) => value.trim()))];
}
