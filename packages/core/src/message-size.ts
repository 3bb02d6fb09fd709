/** The characters base64 turns `bytes` bytes into (4 for every 3, padded), line breaks not counted. */
export function base64Length(bytes: number): number {
  return Math.ceil(bytes / 3) * 4;
}
