import { closestMatch, ERROR_CODES, schemaProblems, WshubError } from "@wshub/core";
import { z } from "zod";

const VARIABLES = {
  /** SSM parameter holding the hub configuration as JSON (written by the hub stack from its props). */
  WSHUB_CONFIG_PARAMETER: z.string().min(1).optional(),
  /** The hub configuration inline (tests and local runs). */
  WSHUB_CONFIG_JSON: z.string().min(2).optional(),
  /** Where report files are written before they are mailed (Lambda: only /tmp is writable). */
  WSHUB_OUTPUT_DIR: z.string().min(1).default("/tmp/wshub"),
  /** The react function's signals table, named by the stack (wins over the configuration's `signals.table`). */
  WSHUB_SIGNALS_TABLE: z.string().min(3).optional(),
  /**
   * The react function's event source mapping maximumConcurrency, set by the stack from the same deployment value
   * (wins over `signals.concurrency`): each invocation keeps a tenant's calls under maxCallsPerMinute / this.
   */
  WSHUB_REACT_CONCURRENCY: z.coerce.number().int().min(1).max(1000).optional(),
  POWERTOOLS_SERVICE_NAME: z.string().min(1).default("wshub"),
  POWERTOOLS_LOG_LEVEL: z.enum(["DEBUG", "INFO", "WARN", "ERROR", "SILENT"]).default("INFO"),
};

/**
 * The environment every wshub Lambda function reads. The CDK construct types the variables with this same schema and
 * validates them at synth time, so a missing variable fails `cdk synth`, not the first weekly run.
 * The environment also holds the platform's variables (PATH, AWS_*), so unknown keys in general are allowed; a
 * `WSHUB_` variable that is a near miss of one of ours (WSHUB_OUTPUT_DIRR) is an error, since it would be ignored.
 */
export const functionEnvSchema = z
  .object(VARIABLES)
  .refine((env) => (env.WSHUB_CONFIG_PARAMETER === undefined) !== (env.WSHUB_CONFIG_JSON === undefined), {
    message: "set exactly one of WSHUB_CONFIG_PARAMETER and WSHUB_CONFIG_JSON",
    path: ["WSHUB_CONFIG_PARAMETER"],
  });

export type FunctionEnvInput = z.input<typeof functionEnvSchema>;
export type FunctionEnv = z.output<typeof functionEnvSchema>;

/** Validate an environment; the message names every missing or malformed variable. */
export function parseFunctionEnv(env: Record<string, string | undefined>): FunctionEnv {
  const result = functionEnvSchema.safeParse(env);
  const problems = [
    ...misspeltVariables(env),
    ...(result.success ? [] : schemaProblems(functionEnvSchema, result.error)),
  ];
  if (result.success && problems.length === 0) return result.data;
  throw new WshubError(ERROR_CODES.CONFIG_INVALID, `invalid wshub function environment: ${problems.join("; ")}`, {
    problems,
  });
}

function misspeltVariables(env: Record<string, string | undefined>): string[] {
  const known = Object.keys(VARIABLES);
  return Object.keys(env)
    .filter((name) => name.startsWith("WSHUB_") && !known.includes(name))
    .flatMap((name) => {
      const meant = closestMatch(name, known);
      return meant === undefined ? [] : [`${name}: unknown variable; did you mean ${meant}?`];
    });
}
