import { z } from "zod";

/**
 * The environment every wshub Lambda function reads. The CDK construct types the variables with this same schema and
 * validates them at synth time, so a missing variable fails `cdk synth`, not the first weekly run.
 */
export const functionEnvSchema = z
  .object({
    /** SSM parameter holding the hub configuration as JSON (written by the hub stack from its props). */
    WSHUB_CONFIG_PARAMETER: z.string().min(1).optional(),
    /** The hub configuration inline (tests and local runs). */
    WSHUB_CONFIG_JSON: z.string().min(2).optional(),
    /** Where report files are written before they are mailed (Lambda: only /tmp is writable). */
    WSHUB_OUTPUT_DIR: z.string().min(1).default("/tmp/wshub"),
    POWERTOOLS_SERVICE_NAME: z.string().min(1).default("wshub"),
    POWERTOOLS_LOG_LEVEL: z.enum(["DEBUG", "INFO", "WARN", "ERROR"]).default("INFO"),
  })
  .refine((env) => (env.WSHUB_CONFIG_PARAMETER === undefined) !== (env.WSHUB_CONFIG_JSON === undefined), {
    message: "set exactly one of WSHUB_CONFIG_PARAMETER and WSHUB_CONFIG_JSON",
    path: ["WSHUB_CONFIG_PARAMETER"],
  });

export type FunctionEnvInput = z.input<typeof functionEnvSchema>;
export type FunctionEnv = z.output<typeof functionEnvSchema>;

/** Validate an environment; the message names every missing or malformed variable. */
export function parseFunctionEnv(env: Record<string, string | undefined>): FunctionEnv {
  const result = functionEnvSchema.safeParse(env);
  if (result.success) return result.data;
  throw new Error(
    `invalid wshub function environment: ${result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
  );
}
