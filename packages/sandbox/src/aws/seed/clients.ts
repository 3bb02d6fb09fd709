import { AsyncLocalStorage } from "node:async_hooks";
import { CloudFrontClient } from "@aws-sdk/client-cloudfront";
import { EC2Client } from "@aws-sdk/client-ec2";
import { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { IAMClient } from "@aws-sdk/client-iam";
import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { S3Client } from "@aws-sdk/client-s3";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SESv2Client } from "@aws-sdk/client-sesv2";
import { WAFV2Client } from "@aws-sdk/client-wafv2";
import { ERROR_CODES, WshubError } from "@wshub/core";

const actingAccount = new AsyncLocalStorage<string>();

type Handler = (args: { request: unknown }) => Promise<unknown>;
/** The slice of an SDK v3 middleware stack used here (its real type lives in @smithy/types, not a dependency). */
interface BuildStack {
  add(middleware: (next: Handler) => Handler, options: { step: "build"; name: string }): void;
}

/**
 * SDK v3 clients pointed straight at moto (seeding is not the product's traffic, so it bypasses the front and is
 * not counted). Calls made inside `as(accountId, ...)` carry `x-moto-account-id`, which makes moto act as that
 * account whatever the credentials; a call outside `as` is a bug and fails.
 */
export class SeedClients {
  readonly organizations: OrganizationsClient;
  readonly iam: IAMClient;
  readonly sesv2: SESv2Client;
  readonly secrets: SecretsManagerClient;
  readonly s3: S3Client;
  private readonly ec2ByRegion = new Map<string, EC2Client>();
  private readonly elbv2ByRegion = new Map<string, ElasticLoadBalancingV2Client>();
  private readonly wafv2ByRegion = new Map<string, WAFV2Client>();
  private readonly cloudfrontClients = new Map<string, CloudFrontClient>();

  constructor(
    private readonly motoEndpoint: string,
    homeRegion: string,
  ) {
    this.organizations = pinned(new OrganizationsClient(this.config(homeRegion)));
    this.iam = pinned(new IAMClient(this.config(homeRegion)));
    this.sesv2 = pinned(new SESv2Client(this.config(homeRegion)));
    this.secrets = pinned(new SecretsManagerClient(this.config(homeRegion)));
    this.s3 = pinned(new S3Client({ ...this.config(homeRegion), forcePathStyle: true }));
  }

  ec2(region: string): EC2Client {
    return cachedIn(this.ec2ByRegion, region, () => pinned(new EC2Client(this.config(region))));
  }

  elbv2(region: string): ElasticLoadBalancingV2Client {
    return cachedIn(this.elbv2ByRegion, region, () => pinned(new ElasticLoadBalancingV2Client(this.config(region))));
  }

  wafv2(region: string): WAFV2Client {
    return cachedIn(this.wafv2ByRegion, region, () => pinned(new WAFV2Client(this.config(region))));
  }

  /** CloudFront is global, served from us-east-1. */
  cloudfront(): CloudFrontClient {
    return cachedIn(this.cloudfrontClients, "us-east-1", () => pinned(new CloudFrontClient(this.config("us-east-1"))));
  }

  as<T>(accountId: string, work: () => Promise<T>): Promise<T> {
    return actingAccount.run(accountId, work);
  }

  destroy(): void {
    for (const client of [
      this.organizations,
      this.iam,
      this.sesv2,
      this.secrets,
      this.s3,
      ...this.ec2ByRegion.values(),
      ...this.elbv2ByRegion.values(),
      ...this.wafv2ByRegion.values(),
      ...this.cloudfrontClients.values(),
    ]) {
      client.destroy();
    }
  }

  private config(region: string) {
    return {
      endpoint: this.motoEndpoint,
      region,
      credentials: { accessKeyId: "sandbox-seeding", secretAccessKey: "sandbox-seeding" },
      maxAttempts: 3,
    };
  }
}

function cachedIn<C>(clients: Map<string, C>, region: string, make: () => C): C {
  let client = clients.get(region);
  if (!client) {
    client = make();
    clients.set(region, client);
  }
  return client;
}

function pinned<C extends { middlewareStack: object }>(client: C): C {
  (client.middlewareStack as unknown as BuildStack).add(
    (next) => async (args) => {
      const accountId = actingAccount.getStore();
      if (accountId === undefined) {
        throw new WshubError(ERROR_CODES.SANDBOX_FAILED, "seeding call made without an account (use SeedClients.as)");
      }
      (args.request as { headers: Record<string, string> }).headers["x-moto-account-id"] = accountId;
      return next(args);
    },
    { step: "build", name: "sandboxActingAccount" },
  );
  return client;
}
