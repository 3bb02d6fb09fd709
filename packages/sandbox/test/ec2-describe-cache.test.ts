import { describe, expect, it } from "vitest";
import { Ec2DescribeCache, type BufferedAnswer } from "../src/aws/ec2-describe-cache.js";

const answer = (text: string, status = 200): BufferedAnswer => ({ status, headers: {}, body: Buffer.from(text) });
const key = (account: string, body = "Action=DescribeInstances") =>
  Ec2DescribeCache.keyOf(account, "us-east-1", Buffer.from(body));

describe("the front's DescribeInstances cache", () => {
  it("replays an answer for the same account, region and request only", () => {
    const cache = new Ec2DescribeCache();
    cache.keep(key("111111111111"), answer("<a/>"));
    expect(cache.get(key("111111111111"))?.body.toString()).toBe("<a/>");
    expect(cache.get(key("222222222222"))).toBeUndefined();
    expect(cache.get(key("111111111111", "Action=DescribeInstances&MaxResults=5"))).toBeUndefined();
    expect(Ec2DescribeCache.keyOf("111111111111", "eu-west-1", Buffer.from("Action=DescribeInstances"))).not.toBe(
      key("111111111111"),
    );
  });

  it("keeps no error, and forgets everything on a call that may change EC2", () => {
    const cache = new Ec2DescribeCache();
    cache.keep(key("111111111111"), answer("<Error/>", 503));
    expect(cache.get(key("111111111111"))).toBeUndefined();
    cache.keep(key("111111111111"), answer("<a/>"));
    expect(Ec2DescribeCache.mayChangeState("DescribeTags")).toBe(false);
    expect(Ec2DescribeCache.mayChangeState("TerminateInstances")).toBe(true);
    expect(Ec2DescribeCache.isCacheable("DescribeInstances")).toBe(true);
    expect(Ec2DescribeCache.isCacheable("DescribeTags")).toBe(false);
    cache.clear();
    expect(cache.get(key("111111111111"))).toBeUndefined();
  });

  it("drops the oldest answers beyond its byte budget", () => {
    const cache = new Ec2DescribeCache(10);
    cache.keep(key("111111111111"), answer("123456"));
    cache.keep(key("222222222222"), answer("123456"));
    expect(cache.get(key("111111111111"))).toBeUndefined();
    expect(cache.get(key("222222222222"))?.body.toString()).toBe("123456");
    cache.keep(key("333333333333"), answer("x".repeat(11)));
    expect(cache.get(key("333333333333"))).toBeUndefined();
  });
});
