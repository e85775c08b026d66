// Turning zod's verdict into "which field, why", in the words the API server would use.
import type { z } from "zod";

/** Which layer of the CRD the rule belongs to: the structural schema, or a CEL rule. */
export type RuleLayer = "schema" | "cel";

export interface FieldError {
  /** Kubernetes field path, e.g. `spec.weights[0].weight`. */
  path: string;
  message: string;
  layer: RuleLayer;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

/** `["spec", "weights", 0, "weight"]` → `spec.weights[0].weight`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else out += out === "" ? String(segment) : `.${String(segment)}`;
  }
  return out;
}

const CEL_PARAMS = { layer: "cel" } as const;

/** Reports a failed CEL-equivalent rule. `message` is the CEL rule's message, word for word. */
export function celIssue(ctx: z.RefinementCtx, message: string, path: PropertyKey[] = []): void {
  ctx.addIssue({ code: "custom", message, path, params: CEL_PARAMS });
}

type Issue = z.core.$ZodRawIssue;

/** zod reports a regex as `/source/flags`; the API server as the source alone. */
function regexSource(pattern: string): string {
  return /^\/(.*)\/[a-z]*$/s.exec(pattern)?.[1] ?? pattern;
}

function typeName(expected: string): string {
  if (expected === "number" || expected === "int") return "integer";
  return expected === "record" ? "object" : expected;
}

function tooBig(issue: Issue & { code: "too_big" }): string {
  if (issue.origin === "array") return `Too many: must have at most ${String(issue.maximum)} items`;
  if (issue.origin === "string") return `Too long: may not be more than ${String(issue.maximum)} characters`;
  return `should be less than or equal to ${String(issue.maximum)}`;
}

function tooSmall(issue: Issue & { code: "too_small" }): string {
  if (issue.origin === "array") return `should have at least ${String(issue.minimum)} items`;
  if (issue.origin === "string") return `should be at least ${String(issue.minimum)} chars long`;
  return `should be greater than or equal to ${String(issue.minimum)}`;
}

/** zod issues in the API server's wording, so one error reads the same whichever layer caught it. */
export function kubernetesErrorMap(issue: Issue): string | undefined {
  switch (issue.code) {
    case "invalid_type":
      return issue.input === undefined ? "Required value" : `must be of type ${typeName(issue.expected)}`;
    case "too_big":
      return tooBig(issue);
    case "too_small":
      return tooSmall(issue);
    case "invalid_format":
      return issue.format === "regex" && "pattern" in issue ? `should match '${regexSource(String(issue.pattern))}'` : undefined;
    case "invalid_value":
      return `Unsupported value: ${JSON.stringify(issue.input)}: supported values: ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    default:
      return undefined;
  }
}

function layerOf(issue: z.core.$ZodIssue): RuleLayer {
  return issue.code === "custom" && issue.params?.["layer"] === "cel" ? "cel" : "schema";
}

/** Marks a custom issue as one after which the API server skips CEL rules (a too long or too large value). */
export const BLOCKING_PARAMS = { blocking: true } as const;

/** The API server skips every CEL rule once it finds a missing, mistyped, unsupported or too long value. */
function isBlocking(issue: z.core.$ZodIssue): boolean {
  if (issue.code === "invalid_type" || issue.code === "invalid_value") return true;
  if (issue.code === "custom") return issue.params?.["blocking"] === true;
  return issue.code === "too_big" && (issue.origin === "string" || issue.origin === "array");
}

function toFieldErrors(issues: readonly z.core.$ZodIssue[]): FieldError[] {
  const errors = issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message, layer: layerOf(issue) }));
  return issues.some(isBlocking) ? errors.filter((e) => e.layer !== "cel") : errors;
}

/** A parser that never throws: the value with defaults applied, or every error with its field path. */
export function parserFor<S extends z.ZodType>(schema: S): (obj: unknown) => ParseResult<z.output<S>> {
  return (obj) => {
    const result = schema.safeParse(obj, { error: kubernetesErrorMap });
    return result.success ? { ok: true, value: result.data } : { ok: false, errors: toFieldErrors(result.error.issues) };
  };
}

/** One line per error, e.g. `spec.weights: weights must sum to 100`. */
export function describeErrors(errors: readonly FieldError[]): string {
  return errors.map((e) => (e.path === "" ? e.message : `${e.path}: ${e.message}`)).join("; ");
}
