import { AsyncCache, ERROR_CODES, WshubError } from "@wshub/core";
import { motoQuery, xmlText } from "./moto-query.js";
import type { Caller } from "./types.js";

/** A request without SigV4 credentials (e.g. a public URL). */
export const ANONYMOUS: Caller = { accountId: "anonymous", arn: "anonymous" };

/**
 * Access key → caller, as moto's STS `GetCallerIdentity` sees it (IAM users' keys and AssumeRole keys belong to
 * their account; unknown keys to moto's default account 123456789012). Keys never change owner, so each is asked
 * once; concurrent first requests share the question.
 */
export class CallerDirectory {
  private readonly known = new AsyncCache<string, Caller>();

  constructor(private readonly motoEndpoint: string) {}

  resolve(accessKeyId: string): Promise<Caller> {
    return this.known.get(accessKeyId, (key) => this.ask(key));
  }

  private async ask(accessKeyId: string): Promise<Caller> {
    const { status, xml } = await motoQuery(this.motoEndpoint, {
      service: "sts",
      params: { Action: "GetCallerIdentity" },
      as: { accessKeyId },
    });
    const accountId = xmlText(xml, "Account");
    const arn = xmlText(xml, "Arn");
    if (status !== 200 || accountId === undefined || arn === undefined) {
      throw new WshubError(ERROR_CODES.SANDBOX_FAILED, `moto could not say who owns an access key (HTTP ${status})`, {
        status,
      });
    }
    return { accountId, arn };
  }
}

/**
 * The ARN trust policies match a caller on (`aws:PrincipalArn`): for an assumed-role session, its role
 * (`arn:aws:iam::<acct>:role/<name>`; moto's session ARNs drop the role path); for a user, the user.
 */
export function principalArnOf(caller: Caller): string {
  const session = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(caller.arn);
  if (!session) return caller.arn;
  const [, partition = "aws", accountId = "", roleName = ""] = session;
  return `arn:${partition}:iam::${accountId}:role/${roleName}`;
}
