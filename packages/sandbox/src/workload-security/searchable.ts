import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

// "Version" is a kind the search API defines (versionTest), though no field of the vendor's spec is searchable as one.
export type SearchKind = "String" | "Numeric" | "Choice" | "Date" | "Boolean" | "ID" | "Version";

interface Schema {
  properties?: Record<string, { $ref?: string; description?: string }>;
}

let schemas: Record<string, Schema> | undefined;

function loadSchemas(): Record<string, Schema> {
  if (!schemas) {
    const require = createRequire(import.meta.url);
    const dir = dirname(require.resolve("@wshub/workload-security/package.json"));
    const spec = JSON.parse(
      readFileSync(join(dir, "spec", "cloudone-workload-security-api-50.0.827.json"), "utf8"),
    ) as {
      components: { schemas: Record<string, Schema> };
    };
    schemas = spec.components.schemas;
  }
  return schemas;
}

const cache = new Map<string, Map<string, Set<SearchKind>>>();

/**
 * The fields a search may test, and how, read from the vendor spec's own words ("Searchable as String", "Searchable as
 * String or as Numeric"...), nested fields joined with "/" (e.g. `ec2VirtualMachineSummary/instanceID`).
 */
export function searchableFields(schemaName: string): Map<string, Set<SearchKind>> {
  let fields = cache.get(schemaName);
  if (!fields) {
    fields = new Map();
    collect(loadSchemas(), schemaName, "", fields, 0);
    cache.set(schemaName, fields);
  }
  return fields;
}

function collect(
  all: Record<string, Schema>,
  name: string,
  prefix: string,
  out: Map<string, Set<SearchKind>>,
  depth: number,
): void {
  const schema = all[name];
  if (!schema?.properties || depth > 3) return;
  for (const [property, definition] of Object.entries(schema.properties)) {
    const path = prefix === "" ? property : `${prefix}/${property}`;
    const kinds = kindsOf(definition.description ?? "");
    if (kinds.size > 0) out.set(path, kinds);
    if (definition.$ref) collect(all, definition.$ref.split("/").pop() as string, path, out, depth + 1);
  }
}

function kindsOf(description: string): Set<SearchKind> {
  const match = /Searchable as ([^.]*)/.exec(description);
  const kinds = new Set<SearchKind>();
  if (!match) return kinds;
  for (const kind of ["String", "Numeric", "Choice", "Date", "Boolean", "ID", "Version"] as const)
    if (match[1]?.includes(kind)) kinds.add(kind);
  return kinds;
}
