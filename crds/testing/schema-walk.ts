// Test support: the parts of the API server's create pipeline that a JSON-schema validator does not
// do — pruning, null dropping, list-type uniqueness and CEL rules — written from the Kubernetes
// documentation and the apiextensions-apiserver source, independently of the zod schemas.
import { Environment } from "@marcbachmann/cel-js";
import { formatPath } from "../parse.js";
import type { FieldError } from "../parse.js";

export interface CelRule {
  rule: string;
  message?: string;
  fieldPath?: string;
  reason?: string;
}

/** The slice of an OpenAPI v3 schema node (with Kubernetes extensions) that this code reads. */
export interface SchemaNode {
  type?: string;
  nullable?: boolean;
  default?: unknown;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: SchemaNode | boolean;
  items?: SchemaNode;
  "x-kubernetes-preserve-unknown-fields"?: boolean;
  "x-kubernetes-list-type"?: "atomic" | "set" | "map";
  "x-kubernetes-list-map-keys"?: string[];
  "x-kubernetes-validations"?: CelRule[];
}

type Path = (string | number)[];
type Visitor = (schema: SchemaNode, value: unknown, path: Path) => void;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function childSchema(schema: SchemaNode, key: string): SchemaNode | undefined {
  const additional = schema.additionalProperties;
  return schema.properties?.[key] ?? (typeof additional === "object" ? additional : undefined);
}

/** Calls `visit` for every node present in `value`, parents before children (absent nodes are skipped). */
export function walk(schema: SchemaNode, value: unknown, visit: Visitor, path: Path = []): void {
  if (value === undefined) return;
  visit(schema, value, path);
  if (Array.isArray(value) && schema.items !== undefined) {
    const items = schema.items;
    value.forEach((item, i) => walk(items, item, visit, [...path, i]));
  } else if (isObject(value)) {
    for (const [key, child] of Object.entries(value)) {
      const sub = childSchema(schema, key);
      if (sub !== undefined) walk(sub, child, visit, [...path, key]);
    }
  }
}

const ROOT_KEYS_KEPT = new Set(["apiVersion", "kind", "metadata"]);

/** Whether pruning keeps `key` of an object with this schema; metadata at the root is ObjectMeta's business. */
function keeps(schema: SchemaNode, key: string, isRoot: boolean): boolean {
  return childSchema(schema, key) !== undefined || schema["x-kubernetes-preserve-unknown-fields"] === true || (isRoot && ROOT_KEYS_KEPT.has(key));
}

function isNonNullableNull(schema: SchemaNode | undefined, value: unknown): boolean {
  return value === null && schema !== undefined && schema.nullable !== true;
}

function pruneFields(schema: SchemaNode, value: Record<string, unknown>, isRoot: boolean): void {
  for (const key of Object.keys(value)) {
    if (isRoot && key === "metadata") continue;
    const sub = childSchema(schema, key);
    if (!keeps(schema, key, isRoot) || isNonNullableNull(sub, value[key])) Reflect.deleteProperty(value, key);
    else if (sub !== undefined) pruneObject(sub, value[key], false);
  }
}

/**
 * Prunes fields the schema does not declare and drops nulls from non-nullable fields, as the API
 * server does before defaulting. Mutates `value`.
 */
export function pruneObject(schema: SchemaNode, value: unknown, isRoot = true): void {
  const items = schema.items;
  if (Array.isArray(value) && items !== undefined) value.forEach((item) => pruneObject(items, item, false));
  else if (isObject(value)) pruneFields(schema, value, isRoot);
}

/** `x-kubernetes-list-type` set and map: no two entries (or map keys) may be equal. */
export function listTypeErrors(schema: SchemaNode, value: unknown): FieldError[] {
  const errors: FieldError[] = [];
  walk(schema, value, (node, v, path) => {
    const listType = node["x-kubernetes-list-type"];
    if (!Array.isArray(v) || (listType !== "set" && listType !== "map")) return;
    const keys = node["x-kubernetes-list-map-keys"] ?? [];
    // A list-map entry that is null or lacks its key counts as the entry with no key.
    const entry = (item: unknown): Record<string, unknown> => (isObject(item) ? item : {});
    const keyOf = (item: unknown): string =>
      listType === "set" ? JSON.stringify(item) : JSON.stringify(Object.fromEntries(keys.map((k) => [k, entry(item)[k]])));
    // apiextensions' validateListSet: the second appearance of each repeated value, once.
    const times = new Map<string, number>();
    v.forEach((item, i) => {
      const key = keyOf(item);
      const seen = times.get(key) ?? 0;
      if (seen === 1) errors.push({ path: formatPath([...path, i]), message: `Duplicate value: ${key}`, layer: "schema" });
      times.set(key, seen + 1);
    });
  });
  return errors;
}

/** Kubernetes' CEL environment, as far as Meridian's rules need it: `self`, and lists' `sum()`. */
function kubernetesCel(): Environment {
  return new Environment({ homogeneousAggregateLiterals: false })
    .registerVariable("self", "dyn")
    .registerFunction("list.sum(): dyn", (list: unknown[]) => list.reduce<bigint>((a, b) => a + BigInt(b as bigint), 0n));
}

const cel = kubernetesCel();

/** CEL sees integers as int (bigint here), not double: convert where the schema says integer. */
export function toCelValue(schema: SchemaNode, value: unknown): unknown {
  if (schema.type === "integer" && typeof value === "number") return BigInt(value);
  if (Array.isArray(value)) return value.map((v) => (schema.items === undefined ? v : toCelValue(schema.items, v)));
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const sub = childSchema(schema, key);
    out[key] = sub === undefined ? child : toCelValue(sub, child);
  }
  return out;
}

function fieldPathSegments(fieldPath: string | undefined): string[] {
  return (fieldPath ?? "").split(".").filter((s) => s !== "");
}

/** Evaluates every `x-kubernetes-validations` rule at its node, with `self` the value there. */
export function celErrors(schema: SchemaNode, value: unknown): FieldError[] {
  const errors: FieldError[] = [];
  walk(schema, value, (node, v, path) => {
    for (const rule of node["x-kubernetes-validations"] ?? []) {
      const verdict = cel.evaluate(rule.rule, { self: toCelValue(node, v) });
      if (verdict === true) continue;
      const message = rule.message ?? `failed rule: ${rule.rule}`;
      errors.push({ path: formatPath([...path, ...fieldPathSegments(rule.fieldPath)]), message, layer: "cel" });
    }
  });
  return errors;
}

/** Every CEL rule in a schema, with the path of the node that carries it (for coverage checks). */
export function celRules(schema: SchemaNode, path: Path = []): { path: string; rule: CelRule }[] {
  const own = (schema["x-kubernetes-validations"] ?? []).map((rule) => ({ path: formatPath(path), rule }));
  const props = Object.entries(schema.properties ?? {}).flatMap(([key, sub]) => celRules(sub, [...path, key]));
  const items = schema.items === undefined ? [] : celRules(schema.items, [...path, 0]);
  return [...own, ...props, ...items];
}
