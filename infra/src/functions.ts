import type { Duration } from "aws-cdk-lib";
import { Stack } from "aws-cdk-lib";
import { Effect, PolicyStatement, Role, ServicePrincipal, type IRole } from "aws-cdk-lib/aws-iam";
import { Architecture, Runtime, Tracing } from "aws-cdk-lib/aws-lambda";
import { NodejsFunction, OutputFormat } from "aws-cdk-lib/aws-lambda-nodejs";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import { HANDLER_ENTRIES, parseFunctionEnv, type FunctionEnvInput } from "@wshub/functions";
import { Construct } from "constructs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const FUNCTIONS_SRC = join(REPO_ROOT, "apps", "functions", "src");

export type StepName = keyof typeof HANDLER_ENTRIES;
/** The react handler (issue 10), built by the `signals` branch at this path. */
export const REACT_HANDLER_ENTRY = join(FUNCTIONS_SRC, "handlers", "react.ts");

export interface WshubFunctionProps {
  prefix: string;
  step: StepName | "react";
  /** Absolute path of the handler file (default: the step's own entry). */
  entry?: string;
  environment: FunctionEnvInput;
  memorySize: number;
  timeout: Duration;
  /** A fixed role name when other accounts' trust policies name this role. */
  roleName?: string;
}

/**
 * One step of the run as a Lambda function, bundled locally with esbuild (no Docker). Its environment is validated
 * with the functions' own schema here, so a missing variable fails `cdk synth`.
 */
export class WshubFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: IRole;

  constructor(scope: Construct, id: string, props: WshubFunctionProps) {
    super(scope, id);
    const environment: Record<string, string> = Object.fromEntries(
      Object.entries(parseFunctionEnv(props.environment as Record<string, string | undefined>)).flatMap(([k, v]) =>
        v === undefined ? [] : [[k, String(v)]],
      ),
    );
    const logGroup = new LogGroup(this, "Logs", { retention: RetentionDays.SIX_MONTHS });
    const role = new Role(this, "Role", {
      assumedBy: new ServicePrincipal("lambda.amazonaws.com"),
      description: `wshub ${props.step} step`,
      ...(props.roleName ? { roleName: props.roleName } : {}),
    });
    role.addToPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
        resources: [logGroup.logGroupArn, `${logGroup.logGroupArn}:*`],
      }),
    );
    this.role = role;
    this.function = new NodejsFunction(this, "Function", {
      entry:
        props.entry ??
        (props.step === "react" ? REACT_HANDLER_ENTRY : join(FUNCTIONS_SRC, HANDLER_ENTRIES[props.step])),
      handler: "handler",
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, "pnpm-lock.yaml"),
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      role,
      logGroup,
      tracing: Tracing.ACTIVE,
      environment,
      description: `wshub: ${props.step} (${Stack.of(this).stackName})`,
      bundling: {
        format: OutputFormat.ESM,
        target: "node24",
        minify: true,
        sourceMap: true,
        // Bundle our pinned SDK versions rather than the runtime's.
        externalModules: [],
        banner:
          "import { createRequire as __wshubCreateRequire } from 'module'; const require = __wshubCreateRequire(import.meta.url);",
      },
    });
  }
}
