import { base64Length } from "@wshub/core";
import type { ComposedEmail } from "./compose.js";

/** The size SES counts: the bytes of the raw MIME message. */
export function encodedSize(message: ComposedEmail | Buffer): number {
  return Buffer.isBuffer(message) ? message.length : message.raw.length;
}

/** Headers, both bodies and MIME boundaries of a report message: generous, so an estimate errs on the big side. */
export const MESSAGE_OVERHEAD_BYTES = 64 * 1024;

/**
 * What files of these sizes will weigh once attached: base64 (4 bytes per 3) in lines of 76 characters plus CRLF,
 * plus each part's headers. Lets a caller choose attachments or links before composing anything.
 */
export function estimateEncodedSize(
  attachmentBytes: readonly number[],
  overheadBytes = MESSAGE_OVERHEAD_BYTES,
): number {
  let total = overheadBytes;
  for (const bytes of attachmentBytes) {
    const base64 = base64Length(bytes);
    total += base64 + Math.ceil(base64 / 76) * 2 + 512;
  }
  return total;
}
