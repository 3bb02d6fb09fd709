import type { IncomingMessage } from "node:http";
import type { CallCounter } from "../control/stats.js";
import type { ConfigStore } from "./config/store.js";

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** Who signed a request, as moto's STS knows the access key. */
export interface Caller {
  accountId: string;
  /** As GetCallerIdentity returns it: `arn:aws:iam::<acct>:user/<name>` or `arn:aws:sts::<acct>:assumed-role/<role>/<session>`. */
  arn: string;
}

/** The in-process Inspector2 emulator the front hands every `inspector2` request to. */
export type InspectorHandler = (
  request: IncomingMessage,
  body: Buffer,
  caller: Caller,
) => Promise<{ status: number; headers: Record<string, string>; body: string }>;

export interface AwsFrontOptions {
  /** Where moto listens. */
  motoEndpoint: string;
  /** DynamoDB Local: requests whose SigV4 scope service is "dynamodb" go there. */
  dynamodbEndpoint: string;
  /** Requests whose SigV4 scope service is "inspector2" go to this in-process handler. */
  inspector2: InspectorHandler;
  /** AWS Config's evaluations, result tokens and recorded items (the emulator's state; default: a fresh one). */
  config?: ConfigStore;
  /** `record(<api>, <operation>, <caller account id>, <status>)` for every call. */
  counter: CallCounter;
}

/** An SES v2 `SendEmail` with raw content that SES (moto) accepted. */
export interface CapturedEmail {
  messageId: string;
  /** `FromEmailAddress` of the request ("" when the MIME From header was left to speak). */
  from: string;
  /** The request's `Destination` (recipients only named in MIME headers are not repeated here). */
  destination: { to: string[]; cc: string[]; bcc: string[] };
  /** The MIME message, byte for byte as sent (`Content.Raw.Data` decoded). */
  raw: Buffer;
  /** Account that sent it. */
  accountId: string;
  sentAt: Date;
}
