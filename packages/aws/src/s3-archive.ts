import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { ERROR_CODES, WshubError, type ArchiveWriter } from "@wshub/core";
import { awsErrorName } from "./sdk-errors.js";

/** The customer's archive bucket (encrypted by the bucket's default; wshub only puts objects). */
export class S3Archive implements ArchiveWriter {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async put(key: string, body: Buffer, contentType: string): Promise<void> {
    try {
      await this.client.send(
        new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType }),
      );
    } catch (error) {
      throw new WshubError(
        ERROR_CODES.EXPORT_FAILED,
        `cannot write s3://${this.bucket}/${key}: ${awsErrorName(error)}`,
        { bucket: this.bucket, key },
        { cause: error },
      );
    }
  }
}
