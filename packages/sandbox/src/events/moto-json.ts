import { ERROR_CODES, WshubError } from "@wshub/core";
import { fakeAuthorization } from "../aws/sigv4.js";

/** The JSON-protocol services the injector and the hub bus speak to moto directly. */
const TARGET_PREFIX = {
  events: "AWSEvents",
  sqs: "AmazonSQS",
  organizations: "AWSOrganizationsV20161128",
} as const;
const CONTENT_TYPE = {
  events: "application/x-amz-json-1.1",
  sqs: "application/x-amz-json-1.0",
  organizations: "application/x-amz-json-1.1",
} as const;

export interface MotoJsonCall {
  service: keyof typeof TARGET_PREFIX;
  operation: string;
  accountId: string;
  region: string;
  body: object;
}

/**
 * A JSON-protocol call straight to moto as an account (`x-moto-account-id`). It is AWS's own side of the wire
 * (what EventBridge and the deployed stack do), not the product's traffic, so it bypasses the front and is not
 * counted. A refusal is an error naming the operation and moto's answer.
 */
export async function motoJson<T = Record<string, unknown>>(motoEndpoint: string, call: MotoJsonCall): Promise<T> {
  const response = await fetch(`${motoEndpoint}/`, {
    method: "POST",
    headers: {
      "content-type": CONTENT_TYPE[call.service],
      "x-amz-target": `${TARGET_PREFIX[call.service]}.${call.operation}`,
      "x-moto-account-id": call.accountId,
      authorization: fakeAuthorization("sandbox", call.region, call.service),
    },
    body: JSON.stringify(call.body),
  });
  const text = await response.text();
  if (!response.ok)
    throw new WshubError(ERROR_CODES.SANDBOX_FAILED, `moto refused ${call.service} ${call.operation}: ${text}`, {
      service: call.service,
      operation: call.operation,
      status: response.status,
    });
  return (text === "" ? {} : JSON.parse(text)) as T;
}
