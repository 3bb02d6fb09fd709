import type { CapturedEmail } from "./types.js";

/**
 * SES v1 (query protocol) requests as the outbox keeps them: `SendRawEmail` carries the MIME message; `SendEmail`
 * carries its parts, composed here into the plain MIME message SES would send (text, HTML or both).
 */
export function sesV1Email(params: URLSearchParams, responseXml: string, accountId: string): CapturedEmail | undefined {
  const action = params.get("Action");
  const raw = action === "SendRawEmail" ? rawMessage(params) : action === "SendEmail" ? composed(params) : undefined;
  if (raw === undefined) return undefined;
  const destination =
    action === "SendRawEmail"
      ? { to: members(params, "Destinations"), cc: [], bcc: [] }
      : {
          to: members(params, "Destination.ToAddresses"),
          cc: members(params, "Destination.CcAddresses"),
          bcc: members(params, "Destination.BccAddresses"),
        };
  return {
    messageId: /<MessageId>([^<]*)<\/MessageId>/.exec(responseXml)?.[1] ?? "",
    from: params.get("Source") ?? "",
    destination,
    raw,
    accountId,
    sentAt: new Date(),
  };
}

function rawMessage(params: URLSearchParams): Buffer | undefined {
  const data = params.get("RawMessage.Data");
  return data === null ? undefined : Buffer.from(data, "base64");
}

/** `Prefix.member.1`, `Prefix.member.2`, … in order. */
function members(params: URLSearchParams, prefix: string): string[] {
  const values: string[] = [];
  for (let i = 1; params.has(`${prefix}.member.${i}`); i++) values.push(params.get(`${prefix}.member.${i}`) ?? "");
  return values;
}

const BOUNDARY = "wshub-sandbox-ses-v1";

function composed(params: URLSearchParams): Buffer {
  const text = params.get("Message.Body.Text.Data");
  const html = params.get("Message.Body.Html.Data");
  const headers = [
    `From: ${params.get("Source") ?? ""}`,
    `To: ${members(params, "Destination.ToAddresses").join(", ")}`,
    ...(params.has("Destination.CcAddresses.member.1")
      ? [`Cc: ${members(params, "Destination.CcAddresses").join(", ")}`]
      : []),
    `Subject: ${params.get("Message.Subject.Data") ?? ""}`,
    "MIME-Version: 1.0",
  ];
  const parts = [
    ...(text === null ? [] : [part("text/plain", text)]),
    ...(html === null ? [] : [part("text/html", html)]),
  ];
  const body =
    parts.length === 1
      ? parts[0]
      : [
          `Content-Type: multipart/alternative; boundary="${BOUNDARY}"`,
          "",
          ...parts.map((p) => `--${BOUNDARY}\r\n${p}`),
          `--${BOUNDARY}--`,
        ].join("\r\n");
  return Buffer.from([...headers, body].join("\r\n"), "utf8");
}

function part(contentType: string, content: string): string {
  const base64 = Buffer.from(content, "utf8").toString("base64").replace(/.{76}/g, "$&\r\n");
  return [`Content-Type: ${contentType}; charset=UTF-8`, "Content-Transfer-Encoding: base64", "", base64, ""].join(
    "\r\n",
  );
}
