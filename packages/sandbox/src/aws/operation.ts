import type { IncomingHttpHeaders } from "node:http";
import { REST_OPERATIONS } from "./generated/rest-operations.js";

/**
 * The counter's api name: the SigV4 signing service, except SES, whose v1 (query) and v2 (REST) APIs share the
 * signing name "ses".
 */
export function apiOf(service: string, path: string): string {
  if (service === "ses" && path.startsWith("/v2/")) return "sesv2";
  return service;
}

export interface RequestShape {
  api: string;
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** Query-protocol parameters: the form body, else the query string. */
  params: URLSearchParams;
}

/** The operation name: X-Amz-Target (JSON protocols), Action (query protocol), or the REST route. */
export function operationOf(request: RequestShape): string {
  const target = request.headers["x-amz-target"];
  if (typeof target === "string" && target !== "") return target.slice(target.lastIndexOf(".") + 1);
  const action = request.params.get("Action");
  if (action) return action;
  const routes = REST_OPERATIONS[request.api];
  if (routes) return restOperation(routes, request.method, request.path) ?? `${request.method} ${request.path}`;
  if (request.api === "s3") return s3Operation(request.method, request.path, request.params);
  return `${request.method} ${request.path}`;
}

const compiled = new Map<string, RegExp>();

function templateRegex(template: string): RegExp {
  let regex = compiled.get(template);
  if (!regex) {
    const source = template
      .split(/(\{[^}]+\})/)
      .map((part) => {
        if (!part.startsWith("{")) return part.replace(/[.*+?^$()|[\]\\]/g, "\\$&");
        return part.endsWith("+}") ? ".+" : "[^/]+";
      })
      .join("");
    regex = new RegExp(`^${source}$`);
    compiled.set(template, regex);
  }
  return regex;
}

function restOperation(
  routes: readonly (readonly [string, string, string])[],
  method: string,
  path: string,
): string | undefined {
  for (const [routeMethod, template, name] of routes) {
    if (routeMethod === method && templateRegex(template).test(path)) return name;
  }
  return undefined;
}

const LIST_PARAMETERS = new Set([
  "list-type",
  "prefix",
  "delimiter",
  "max-keys",
  "continuation-token",
  "marker",
  "encoding-type",
  "fetch-owner",
  "start-after",
  "x-id",
]);

/**
 * S3 names enough operations to count what the hub does (report objects and their links) without one counter key
 * per object: path-style `/<bucket>` or `/<bucket>/<key>`.
 */
function s3Operation(method: string, path: string, query: URLSearchParams): string {
  const [, bucket = "", ...key] = path.split("/");
  const onObject = key.join("/") !== "";
  if (bucket === "") return method === "GET" ? "ListBuckets" : `${method} /`;
  const subresources = [...query.keys()].filter((name) => !LIST_PARAMETERS.has(name) && !name.startsWith("X-Amz-"));
  if (!onObject && subresources.length > 0) return `${method} /{bucket}?${subresources.join("&")}`;
  const byMethod: Record<string, [string, string]> = {
    GET: ["GetObject", query.has("list-type") ? "ListObjectsV2" : "ListObjects"],
    PUT: ["PutObject", "CreateBucket"],
    HEAD: ["HeadObject", "HeadBucket"],
    DELETE: ["DeleteObject", "DeleteBucket"],
    POST: ["PostObject", "PostBucket"],
  };
  const names = byMethod[method];
  if (!names) return `${method} /${bucket}`;
  return onObject ? names[0] : names[1];
}
