import { Stack, type StackProps } from "aws-cdk-lib";
import { EventBus, Rule } from "aws-cdk-lib/aws-events";
import { EventBus as EventBusTarget } from "aws-cdk-lib/aws-events-targets";
import { Effect, PolicyStatement, Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import type { Construct } from "constructs";
import type { Deployment } from "./deployment.js";
import { SIGNAL_SOURCES } from "./reactions.js";

export type SignalService = keyof typeof SIGNAL_SOURCES;

export interface SignalForwardingProps extends StackProps {
  prefix: string;
  /** The hub bus (another account, possibly another region: EventBridge allows both as a target). */
  hubBusArn: string;
  /** The services this account administers in this region. */
  services: SignalService[];
}

/**
 * In a delegated-administrator account and region of GuardDuty, Macie or Inspector: one rule per service on the
 * default bus, forwarding that service's finding events to the hub bus with a role that may only put there. The
 * administrator receives its members' findings too, so one rule per (account, region) covers the organization.
 * GuardDuty findings are narrowed to EC2 instances in the pattern (and checked again in the handler).
 */
export class SignalForwardingStack extends Stack {
  constructor(scope: Construct, id: string, props: SignalForwardingProps) {
    super(scope, id, { ...props, description: "wshub: forwards security finding events to the wshub hub bus" });
    const role = new Role(this, "ForwardRole", {
      assumedBy: new ServicePrincipal("events.amazonaws.com"),
      description: "wshub: EventBridge puts finding events on the hub bus",
    });
    role.addToPolicy(
      new PolicyStatement({ effect: Effect.ALLOW, actions: ["events:PutEvents"], resources: [props.hubBusArn] }),
    );
    const hubBus = EventBus.fromEventBusArn(this, "HubBus", props.hubBusArn);
    for (const service of props.services) {
      const { source, detailType } = SIGNAL_SOURCES[service];
      new Rule(this, `Forward-${service}`, {
        description: `wshub: ${detailType} events to the hub`,
        eventPattern: {
          source: [source],
          detailType: [detailType],
          ...(service === "guardduty" ? { detail: { resource: { resourceType: ["Instance"] } } } : {}),
        },
        targets: [new EventBusTarget(hubBus, { role })],
      });
    }
  }
}

/** One forwarding stack per (delegated-administrator account, region), with the services administered there. */
export function forwardingTargets(
  signals: NonNullable<Deployment["signals"]>,
): { accountId: string; region: string; services: SignalService[] }[] {
  const byPlace = new Map<string, { accountId: string; region: string; services: SignalService[] }>();
  for (const forwarder of signals.forwarders)
    for (const region of forwarder.regions) {
      const key = `${forwarder.accountId}/${region}`;
      const place = byPlace.get(key) ?? { accountId: forwarder.accountId, region, services: [] };
      if (!place.services.includes(forwarder.service)) place.services.push(forwarder.service);
      byPlace.set(key, place);
    }
  return [...byPlace.values()];
}
