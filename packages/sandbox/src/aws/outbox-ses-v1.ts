import type { CapturedEmail } from "./types.js";

/** What the outbox keeps of one accepted send, before it stamps the account and the time. */
export type SentMessage = Omit<CapturedEmail, "accountId" | "sentAt">;

/** The SES v1 (query protocol) operations whose messages the outbox keeps. */
export const SES_V1_SENDS = new Set(["SendRawEmail", "SendEmail"]);

/**
 * An accepted SES v1 `SendRawEmail` (the MIME as sent) or `SendEmail` (its subject and bodies, composed into a
 * MIME message here so that every captured e-mail has one), from its form parameters and moto's XML answer.
 */
export function sesV1Message(params: URLSearchParams, responseXml: string): SentMessage | undefined {
  const messageId = /<MessageId>([^<]*)<\/MessageId>/.exec(responseXml)?.[1] ?? "";
  const from = params.get("Source") ?? "";
  if (params.get("Action") === "SendRawEmail") {
    const data = params.get("RawMessage.Data");
    if (data === null) return undefined;
    const to = members(params, "Destinations");
    return { messageId, from, destination: { to, cc: [], bcc: [] }, raw: Buffer.from(data, "base64") };
  }
  if (params.get("Action") !== "SendEmail") return undefined;
  const destination = {
    to: members(params, "Destination.ToAddresses"),
    cc: members(params, "Destination.CcAddresses"),
    bcc: members(params, "Destination.BccAddresses"),
  };
  return { messageId, from, destination, raw: composeSimple(params, { from, ...destination }) };
}

/** `Prefix.member.1`, `Prefix.member.2`, … in order. */
function members(params: URLSearchParams, prefix: string): string[] {
  const values: string[] = [];
  for (let i = 1; params.has(`${prefix}.member.${i}`); i++) values.push(params.get(`${prefix}.member.${i}`) ?? "");
  return values;
}

const ALTERNATIVE_BOUNDARY = "wshub-sandbox-alternative";

function composeSimple(params: URLSearchParams, who: { from: string; to: string[]; cc: string[] }): Buffer {
  const subject = params.get("Message.Subject.Data") ?? "";
  const parts = [
    ["text/plain", params.get("Message.Body.Text.Data")],
    ["text/html", params.get("Message.Body.Html.Data")],
  ].filter((p): p is [string, string] => p[1] !== null);
  const headers = [
    `From: ${who.from}`,
    ...(who.to.length > 0 ? [`To: ${who.to.join(", ")}`] : []),
    ...(who.cc.length > 0 ? [`Cc: ${who.cc.join(", ")}`] : []),
    `Subject: =?UTF-8?B?${Buffer.from(subject, "utf8").toString("base64")}?=`,
    "MIME-Version: 1.0",
  ];
  const body = parts.flatMap(([type, text]) => [
    `--${ALTERNATIVE_BOUNDARY}`,
    `Content-Type: ${type}; charset=utf-8`,
    "Content-Transfer-Encoding: base64",
    "",
    Buffer.from(text, "utf8").toString("base64"),
  ]);
  const contentType = `Content-Type: multipart/alternative; boundary="${ALTERNATIVE_BOUNDARY}"`;
  return Buffer.from([...headers, contentType, "", ...body, `--${ALTERNATIVE_BOUNDARY}--`, ""].join("\r\n"), "utf8");
}
