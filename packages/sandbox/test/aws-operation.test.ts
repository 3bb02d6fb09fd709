import { describe, expect, it } from "vitest";
import { apiOf, operationOf, type RequestShape } from "../src/aws/operation.js";
import { credentialScopeOf, withAccessKeyId } from "../src/aws/sigv4.js";

const shape = (overrides: Partial<RequestShape>): RequestShape => ({
  api: "sts",
  method: "POST",
  path: "/",
  headers: {},
  params: new URLSearchParams(),
  ...overrides,
});

describe("credentialScopeOf", () => {
  const authorization =
    "AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20261124/eu-west-1/inspector2/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc";

  it("reads the Authorization header", () => {
    expect(credentialScopeOf({ authorization }, new URL("http://x/"))).toEqual({
      accessKeyId: "AKIAEXAMPLE",
      date: "20261124",
      region: "eu-west-1",
      service: "inspector2",
    });
  });

  it("reads X-Amz-Credential of a presigned URL", () => {
    const url = new URL(
      "http://x/bucket/key?X-Amz-Credential=ASIAEXAMPLE%2F20261124%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Signature=1",
    );
    expect(credentialScopeOf({}, url)).toMatchObject({ accessKeyId: "ASIAEXAMPLE", service: "s3" });
  });

  it("finds nothing in an unsigned request", () => {
    expect(credentialScopeOf({}, new URL("http://x/"))).toBeUndefined();
  });

  it("swaps the access key and keeps the rest", () => {
    expect(withAccessKeyId(authorization, "222222222222")).toBe(authorization.replace("AKIAEXAMPLE", "222222222222"));
  });
});

describe("operationOf", () => {
  it("names JSON-protocol calls by X-Amz-Target", () => {
    expect(
      operationOf(shape({ api: "dynamodb", headers: { "x-amz-target": "DynamoDB_20120810.TransactWriteItems" } })),
    ).toBe("TransactWriteItems");
    expect(
      operationOf(
        shape({ api: "organizations", headers: { "x-amz-target": "AWSOrganizationsV20161128.ListAccounts" } }),
      ),
    ).toBe("ListAccounts");
  });

  it("names query-protocol calls by Action", () => {
    expect(operationOf(shape({ params: new URLSearchParams("Action=AssumeRole&Version=2011-06-15") }))).toBe(
      "AssumeRole",
    );
  });

  it("names REST calls of inspector2 and SES v2 by their route", () => {
    expect(operationOf(shape({ api: "inspector2", path: "/findings/list" }))).toBe("ListFindings");
    expect(operationOf(shape({ api: "inspector2", path: "/delegatedadminaccounts/list" }))).toBe(
      "ListDelegatedAdminAccounts",
    );
    expect(operationOf(shape({ api: "inspector2", method: "GET", path: "/tags/arn%3Aaws%3Ax" }))).toBe(
      "ListTagsForResource",
    );
    expect(operationOf(shape({ api: "sesv2", path: "/v2/email/outbound-emails" }))).toBe("SendEmail");
    expect(operationOf(shape({ api: "sesv2", method: "GET", path: "/v2/email/identities/wshub%40example.com" }))).toBe(
      "GetEmailIdentity",
    );
    expect(operationOf(shape({ api: "inspector2", path: "/nope" }))).toBe("POST /nope");
  });

  it("names S3 calls without one name per object", () => {
    const s3 = (method: string, path: string, query = "") =>
      operationOf(shape({ api: "s3", method, path, params: new URLSearchParams(query) }));
    expect(s3("PUT", "/reports/runs/r1/a.xlsx")).toBe("PutObject");
    expect(s3("GET", "/reports/runs/r1/a.xlsx", "X-Amz-Credential=x&X-Amz-Signature=y")).toBe("GetObject");
    expect(s3("PUT", "/reports")).toBe("CreateBucket");
    expect(s3("GET", "/reports", "list-type=2&prefix=runs/")).toBe("ListObjectsV2");
    expect(s3("PUT", "/reports", "encryption=")).toBe("PUT /{bucket}?encryption");
  });

  it("tells SES v2 from SES v1", () => {
    expect(apiOf("ses", "/v2/email/outbound-emails")).toBe("sesv2");
    expect(apiOf("ses", "/")).toBe("ses");
    expect(apiOf("dynamodb", "/")).toBe("dynamodb");
  });
});
