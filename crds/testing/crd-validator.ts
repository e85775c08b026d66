// Test support: validates an object the way the API server validates a create of a custom resource,
// using only the CRD YAML: prune and drop nulls, apply defaults and check the structural schema
// (ajv), check list types, then — unless a blocking error was found — run the CEL rules.
import { Ajv } from "ajv";
import type { ErrorObject } from "ajv";
import { DATE_TIME_PATTERN } from "../common.js";
import { formatPath } from "../parse.js";
import type { FieldError } from "../parse.js";
import { celErrors, listTypeErrors, pruneObject } from "./schema-walk.js";
import type { SchemaNode } from "./schema-walk.js";

export interface CrdVerdict {
  /** Every error, each with its field path and the layer (schema or cel) that found it. */
  errors: FieldError[];
  /** The object as stored: pruned, nulls dropped, defaults applied. */
  object: unknown;
}

/** Errors after which the API server skips CEL rules (apiextensions' hasBlockingErr). */
const BLOCKING_KEYWORDS = new Set(["required", "type", "enum", "maxLength", "maxItems", "maxProperties"]);

function pointerToPath(pointer: string): (string | number)[] {
  return pointer
    .split("/")
    .slice(1)
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((s) => (/^[0-9]+$/.test(s) ? Number(s) : s));
}

type Params = Record<string, unknown>;
const limit = (p: Params): string => String(p["limit"]);

/** ajv's verdicts in the API server's words (the same words crds/parse.ts gives zod's). */
const MESSAGES: Record<string, (p: Params, data: unknown) => string> = {
  required: () => "Required value",
  type: (p) => `must be of type ${String(p["type"])}`,
  pattern: (p) => `should match '${String(p["pattern"])}'`,
  maximum: (p) => `should be less than or equal to ${limit(p)}`,
  minimum: (p) => `should be greater than or equal to ${limit(p)}`,
  maxLength: (p) => `Too long: may not be more than ${limit(p)} characters`,
  minLength: (p) => `should be at least ${limit(p)} chars long`,
  maxItems: (p) => `Too many: must have at most ${limit(p)} items`,
  minItems: (p) => `should have at least ${limit(p)} items`,
  maxProperties: (p) => `Too many: must have at most ${limit(p)} properties`,
  enum: (p, data) =>
    `Unsupported value: ${JSON.stringify(data)}: supported values: ${(p["allowedValues"] as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`,
};

function messageOf(error: ErrorObject): string {
  const format = MESSAGES[error.keyword];
  return format === undefined ? (error.message ?? error.keyword) : format(error.params as Params, error.data);
}

function toFieldError(error: ErrorObject): FieldError {
  const path = pointerToPath(error.instancePath);
  if (error.keyword === "required") path.push(String((error.params as { missingProperty: string }).missingProperty));
  return { path: formatPath(path), message: messageOf(error), layer: "schema" };
}

function newAjv(): Ajv {
  // strict: false lets ajv ignore the x-kubernetes-* keywords; the code in schema-walk.ts applies them.
  const ajv = new Ajv({ strict: false, allErrors: true, useDefaults: true, verbose: true });
  ajv.addFormat("date-time", DATE_TIME_PATTERN);
  ajv.addFormat("int32", { type: "number", validate: () => true });
  ajv.addFormat("int64", { type: "number", validate: () => true });
  return ajv;
}

/** The openAPIV3Schema of a CRD's (only) version. */
export function openApiSchema(crd: Record<string, unknown>): SchemaNode {
  const spec = crd["spec"] as { versions: { schema: { openAPIV3Schema: SchemaNode } }[] };
  const version = spec.versions[0];
  if (version === undefined) throw new Error("CRD has no version");
  return version.schema.openAPIV3Schema;
}

/** A validator for one CRD: `validate(obj)` never mutates `obj`. */
export function crdValidator(crd: Record<string, unknown>): (obj: unknown) => CrdVerdict {
  const schema = openApiSchema(crd);
  const check = newAjv().compile(schema);
  return (obj) => {
    const object: unknown = structuredClone(obj);
    pruneObject(schema, object);
    check(object);
    const schemaErrors = (check.errors ?? []).map(toFieldError);
    const blocked = (check.errors ?? []).some((e) => BLOCKING_KEYWORDS.has(e.keyword));
    const errors = [...schemaErrors, ...listTypeErrors(schema, object)];
    if (!blocked) errors.push(...celErrors(schema, object));
    return { errors, object };
  };
}
