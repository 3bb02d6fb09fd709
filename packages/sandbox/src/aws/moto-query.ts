import { fakeAuthorization } from "./sigv4.js";

/** Who a query-protocol call to moto is made as: an access key (moto maps it to its account) or an account. */
export type MotoPrincipal = { accessKeyId: string } | { accountId: string };

export interface MotoQuery {
  service: "sts" | "iam";
  params: Record<string, string>;
  as: MotoPrincipal;
}

/**
 * A query-protocol call straight to moto, for the front's own questions (who is this key, what does this role
 * trust). It bypasses the front, so it is never counted.
 */
export async function motoQuery(motoEndpoint: string, query: MotoQuery): Promise<{ status: number; xml: string }> {
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded; charset=utf-8" };
  if ("accountId" in query.as) {
    headers["x-moto-account-id"] = query.as.accountId;
    headers.authorization = fakeAuthorization("sandbox", "us-east-1", query.service);
  } else {
    headers.authorization = fakeAuthorization(query.as.accessKeyId, "us-east-1", query.service);
  }
  const version = query.service === "sts" ? "2011-06-15" : "2010-05-08";
  const body = new URLSearchParams({ ...query.params, Version: version }).toString();
  const response = await fetch(`${motoEndpoint}/`, { method: "POST", headers, body });
  return { status: response.status, xml: await response.text() };
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/** The text of the first `<tag>` element (the answers read here are flat and known). */
export function xmlText(xml: string, tag: string): string | undefined {
  const match = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml);
  if (!match) return undefined;
  return (match[1] ?? "").replace(/&(amp|lt|gt|quot|apos);/g, (_, name: string) => ENTITIES[name] ?? "");
}
