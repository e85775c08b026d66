// Identity and env of a Service, Admiral-compatible by default: the identity is the `identity` label
// of the pod template of a Deployment or Argo Rollout the Service selects, else the Service's own
// label; the env comes from the `admiral.io/env` annotation, then the `admiral.io/env` label, then the
// `env` label, then "default". An invalid or ambiguous value is a reason, never an exception.

import { dnsLabelProblem } from "./dns-label.js";

export interface IdentityOptions {
  readonly identityLabel: string;
  readonly envAnnotation: string;
  /** Labels tried in order after the annotation. */
  readonly envLabels: readonly string[];
  readonly defaultEnv: string;
}

export const DEFAULT_IDENTITY_OPTIONS: IdentityOptions = Object.freeze({
  identityLabel: "identity",
  envAnnotation: "admiral.io/env",
  envLabels: Object.freeze(["admiral.io/env", "env"]),
  defaultEnv: "default",
});

/** The metadata fields read here (client-node's V1ObjectMeta fits). */
export interface Meta {
  name?: string;
  namespace?: string;
  labels?: Readonly<Record<string, string>>;
  annotations?: Readonly<Record<string, string>>;
}

/** A controller of pods: a V1Deployment, or an Argo Rollout (same `spec.template` shape). */
export interface PodController {
  metadata?: Meta;
  spec?: { selector?: unknown; template?: { metadata?: Meta } };
}

export type PodControllerKind = "Deployment" | "Rollout";

export interface KindedController {
  kind: PodControllerKind;
  object: PodController;
}

/** The Service fields read here (client-node's V1Service fits). */
export interface ServiceLike {
  metadata?: Meta;
  spec?: { selector?: Readonly<Record<string, string>> };
}

export type IdentityResult =
  | { kind: "none" }
  | { kind: "resolved"; identity: string; env: string; source: string }
  | { kind: "invalid"; reason: string };

interface Candidate {
  identity: string;
  env: string;
  source: string;
}

/** A Service selects a pod when its selector is non-empty and every pair is among the pod's labels. */
export function selectorMatches(
  selector: Readonly<Record<string, string>> | undefined,
  labels: Readonly<Record<string, string>> | undefined,
): boolean {
  const pairs = Object.entries(selector ?? {});
  return pairs.length > 0 && pairs.every(([key, value]) => labels?.[key] === value);
}

/** The env of a workload, looking through `sources` (most specific first) for each key in turn. */
export function deriveEnv(sources: readonly (Meta | undefined)[], options: IdentityOptions): string {
  const fromAnnotation = firstValue(sources, (meta) => meta.annotations?.[options.envAnnotation]);
  if (fromAnnotation !== undefined) {
    return fromAnnotation;
  }
  for (const label of options.envLabels) {
    const fromLabel = firstValue(sources, (meta) => meta.labels?.[label]);
    if (fromLabel !== undefined) {
      return fromLabel;
    }
  }
  return options.defaultEnv;
}

/**
 * Resolves the identity and env of `service` from the pod controllers of its namespace. Controllers
 * whose pod template carries the identity label win over the Service's own label; several selected
 * controllers must agree on identity and env (a canary beside its stable Deployment does).
 */
export function resolveIdentity(
  service: ServiceLike,
  controllers: readonly KindedController[],
  options: IdentityOptions = DEFAULT_IDENTITY_OPTIONS,
): IdentityResult {
  const namespace = service.metadata?.namespace ?? "";
  const selected = controllers.filter(
    (c) => (c.object.metadata?.namespace ?? "") === namespace && selectorMatches(service.spec?.selector, c.object.spec?.template?.metadata?.labels),
  );
  const candidates = candidatesFor(service, selected, options);
  if (candidates.length === 0) {
    return { kind: "none" };
  }
  return validate(candidates, options);
}

function candidatesFor(service: ServiceLike, selected: readonly KindedController[], options: IdentityOptions): Candidate[] {
  const labelled = selected.filter((c) => nonEmpty(c.object.spec?.template?.metadata?.labels?.[options.identityLabel]) !== undefined);
  if (labelled.length > 0) {
    return labelled.map((c) => controllerCandidate(c, service, options));
  }
  const own = nonEmpty(service.metadata?.labels?.[options.identityLabel]);
  if (own === undefined) {
    return [];
  }
  if (selected.length === 0) {
    return [{ identity: own, env: deriveEnv([service.metadata], options), source: describe("Service", service.metadata) }];
  }
  const via = describe("Service", service.metadata);
  return selected.map((c) => {
    const candidate = controllerCandidate(c, service, options);
    return { ...candidate, identity: own, source: `${via} via ${candidate.source}` };
  });
}

function controllerCandidate(controller: KindedController, service: ServiceLike, options: IdentityOptions): Candidate {
  const template = controller.object.spec?.template?.metadata;
  return {
    identity: template?.labels?.[options.identityLabel] ?? "",
    env: deriveEnv([template, controller.object.metadata, service.metadata], options),
    source: describe(controller.kind, controller.object.metadata),
  };
}

function validate(candidates: readonly Candidate[], options: IdentityOptions): IdentityResult {
  const distinct = new Map(candidates.map((c) => [`${c.identity}\u0000${c.env}`, c]));
  if (distinct.size > 1) {
    const listed = [...distinct.values()].map((c) => `${c.source} gives ${c.identity}/${c.env}`).sort();
    return { kind: "invalid", reason: `selected workloads disagree on identity/env: ${listed.join("; ")}` };
  }
  const [only] = candidates as [Candidate];
  const identityProblem = dnsLabelProblem(only.identity);
  if (identityProblem !== undefined) {
    return { kind: "invalid", reason: `identity "${only.identity}" (label ${options.identityLabel} on ${only.source}) ${identityProblem}` };
  }
  const envProblem = dnsLabelProblem(only.env);
  if (envProblem !== undefined) {
    return { kind: "invalid", reason: `env "${only.env}" of ${only.source} ${envProblem}` };
  }
  return { kind: "resolved", identity: only.identity, env: only.env, source: only.source };
}

function firstValue(sources: readonly (Meta | undefined)[], read: (meta: Meta) => string | undefined): string | undefined {
  for (const meta of sources) {
    const value = meta === undefined ? undefined : nonEmpty(read(meta));
    if (value !== undefined) {
      return value;
    }
  }
  return undefined;
}

/** Admiral treats an empty value as absent. */
function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

function describe(kind: string, meta: Meta | undefined): string {
  return `${kind} ${meta?.namespace ?? ""}/${meta?.name ?? ""}`;
}
