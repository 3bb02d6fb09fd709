import { z } from "zod";
import { didYouMean } from "./suggest.js";

type Schema = z.core.$ZodType;
type Path = readonly PropertyKey[];

/**
 * One line per problem, "path: rule". An unknown key is named with its full path and, when a sibling key is close,
 * a suggestion: `reports.sendEmails: unknown key; did you mean sendEmail?`.
 */
export function schemaProblems(schema: Schema, error: z.ZodError): string[] {
  return error.issues.flatMap((issue) =>
    issue.code === "unrecognized_keys"
      ? issue.keys.map(
          (key) => `${pathLabel([...issue.path, key])}: unknown key${didYouMean(key, keysAt(schema, issue.path))}`,
        )
      : [`${pathLabel(issue.path)}: ${issue.message}`],
  );
}

export function pathLabel(path: Path): string {
  return path.length === 0 ? "(root)" : path.map(String).join(".");
}

/** The keys an object schema at `path` accepts ([] when the path leads to no object). */
export function keysAt(schema: Schema, path: Path): string[] {
  let current: Schema | undefined = schema;
  for (const segment of path) current = current === undefined ? undefined : child(current, segment);
  const inner = current === undefined ? undefined : unwrapped(current);
  return inner instanceof z.ZodObject ? Object.keys(inner.shape) : [];
}

function child(schema: Schema, segment: PropertyKey): Schema | undefined {
  const inner = unwrapped(schema);
  if (inner instanceof z.ZodObject) return inner.shape[String(segment)];
  if (inner instanceof z.ZodArray) return inner.element;
  if (inner instanceof z.ZodRecord) return inner.valueType;
  return undefined;
}

/** Through optional, nullable, default and prefault wrappers to the schema they wrap. */
export function unwrapped(schema: Schema): Schema {
  let current = schema;
  while (
    current instanceof z.ZodOptional ||
    current instanceof z.ZodNullable ||
    current instanceof z.ZodDefault ||
    current instanceof z.ZodPrefault
  )
    current = current.unwrap();
  return current;
}
