/** An Inspector2 error as the REST-JSON protocol carries it: the type in `x-amzn-ErrorType`, a JSON body. */
export class InspectorError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export function validation(message: string, field?: string): InspectorError {
  return new InspectorError(400, "ValidationException", message, {
    reason: "FIELD_VALIDATION_FAILED",
    ...(field ? { fields: [{ name: field, message }] } : {}),
  });
}

export function errorResponse(error: InspectorError): {
  status: number;
  headers: Record<string, string>;
  body: string;
} {
  return {
    status: error.status,
    headers: { "content-type": "application/json", "x-amzn-errortype": error.type, "x-amzn-requestid": requestId() },
    body: JSON.stringify({ message: error.message, ...error.extra }),
  };
}

let counter = 0;
export function requestId(): string {
  counter++;
  return `00000000-0000-4000-8000-${counter.toString(16).padStart(12, "0")}`;
}
