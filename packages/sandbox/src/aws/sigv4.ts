import type { IncomingHttpHeaders } from "node:http";

/** The credential scope of a SigV4 request: `Credential=<key>/<date>/<region>/<service>/aws4_request`. */
export interface SigV4Scope {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
}

const SCOPE = /Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request/;

/**
 * Read the scope from the `Authorization` header, or from `X-Amz-Credential` for presigned URLs. Signatures are
 * not checked: nothing in the sandbox holds the secrets, and moto does not check them either.
 */
export function credentialScopeOf(headers: IncomingHttpHeaders, url: URL): SigV4Scope | undefined {
  const authorization = headers.authorization;
  const match =
    (authorization === undefined ? null : SCOPE.exec(authorization)) ??
    SCOPE.exec(`Credential=${url.searchParams.get("X-Amz-Credential") ?? ""}`);
  if (!match) return undefined;
  const [, accessKeyId = "", date = "", region = "", service = ""] = match;
  return { accessKeyId, date, region, service };
}

/** The same `Authorization` header, with another access key id in its scope. */
export function withAccessKeyId(authorization: string, accessKeyId: string): string {
  return authorization.replace(/Credential=[^/,\s]+\//, `Credential=${accessKeyId}/`);
}

/** An `Authorization` header that routes a request to `service` in moto (which reads the scope, not the signature). */
export function fakeAuthorization(accessKeyId: string, region: string, service: string): string {
  return `AWS4-HMAC-SHA256 Credential=${accessKeyId}/20260101/${region}/${service}/aws4_request, SignedHeaders=host, Signature=0`;
}
