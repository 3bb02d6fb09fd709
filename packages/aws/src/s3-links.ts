import { GetObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { ERROR_CODES, WshubError, type LinkPublisher } from "@wshub/core";
import { awsErrorName } from "./sdk-errors.js";

/** Reports too large for an e-mail go to S3 (encrypted by the bucket's default) and travel as presigned links. */
export class S3LinkPublisher implements LinkPublisher {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async publish(key: string, body: Buffer, contentType: string, expiresInSeconds: number): Promise<string> {
    try {
      await this.client.send(
        new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType }),
      );
      return await getSignedUrl(this.client, new GetObjectCommand({ Bucket: this.bucket, Key: key }), {
        expiresIn: expiresInSeconds,
      });
    } catch (error) {
      throw new WshubError(
        ERROR_CODES.EMAIL_FAILED,
        `cannot publish s3://${this.bucket}/${key}: ${awsErrorName(error)}`,
        {
          bucket: this.bucket,
          key,
        },
        { cause: error },
      );
    }
  }
}
