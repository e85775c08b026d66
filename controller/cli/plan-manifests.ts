// `meridian plan -f`: the given manifests, validated with the zod schemas the controller uses
// (crds/), and applied in memory to the planner's input as the controller would see them once
// applied (federation/graph/to-model.ts). Pure: text in, PlanInput out; a bad document is a
// UsageError naming the file, the document and the field.
import { parseAllDocuments } from "yaml";

import { describeErrors, parseFailoverDrill, parseMeshCluster, parseServiceDependency, parseTrafficPolicy } from "../../crds/index.js";
import type { FailoverDrill, FieldError, MeshCluster, ParseResult, ServiceDependency, TrafficPolicy } from "../../crds/index.js";
import { dependencyOf, drillOf, memberClusterOf, objectRef, trafficPolicyOf } from "../../federation/graph/to-model.js";
import type { ObjectRef, PlanInput } from "../core/index.js";
import { UsageError } from "./exit-codes.js";

/** Where a namespaced manifest without metadata.namespace goes (as with kubectl's default context). */
export const DEFAULT_MANIFEST_NAMESPACE = "default";

export type Manifest =
  | { readonly kind: "ServiceDependency"; readonly value: ServiceDependency; readonly ref: ObjectRef }
  | { readonly kind: "TrafficPolicy"; readonly value: TrafficPolicy; readonly ref: ObjectRef }
  | { readonly kind: "FailoverDrill"; readonly value: FailoverDrill; readonly ref: ObjectRef }
  | { readonly kind: "MeshCluster"; readonly value: MeshCluster; readonly ref: ObjectRef };

type Parser = (object: unknown) => ParseResult<Manifest["value"]>;

const PARSERS: Readonly<Record<Manifest["kind"], { parse: Parser; namespaced: boolean }>> = {
  ServiceDependency: { parse: parseServiceDependency, namespaced: true },
  TrafficPolicy: { parse: parseTrafficPolicy, namespaced: true },
  FailoverDrill: { parse: parseFailoverDrill, namespaced: true },
  MeshCluster: { parse: parseMeshCluster, namespaced: false },
};

/** Every non-empty document of one file (or of standard input, named `-`), parsed and validated. */
export function parseManifests(file: string, text: string): Manifest[] {
  const manifests: Manifest[] = [];
  parseAllDocuments(text).forEach((document, i) => {
    const where = `${file}, document ${i + 1}`;
    if (document.errors.length > 0) throw new UsageError(`${where}: not valid YAML: ${document.errors[0]?.message.split("\n")[0] ?? ""}`);
    const object: unknown = document.toJS();
    if (object === null || object === undefined) return;
    manifests.push(parseOne(where, object));
  });
  return manifests;
}

interface RawObject {
  readonly kind?: unknown;
  readonly metadata?: { readonly namespace?: unknown; readonly name?: unknown };
}

function parseOne(where: string, object: unknown): Manifest {
  const raw = (typeof object === "object" && !Array.isArray(object) ? object : {}) as RawObject;
  const kind = kindOf(raw);
  if (kind === undefined) throw new UsageError(`${where}: field kind is ${JSON.stringify(raw.kind ?? null)}; plan takes ServiceDependency, TrafficPolicy, FailoverDrill and MeshCluster`);
  const { parse, namespaced } = PARSERS[kind];
  const parsed = parse(namespaced ? withDefaultNamespace(raw) : raw);
  if (!parsed.ok) throw new UsageError(`${where} (${kind} ${nameOf(raw)}): ${fieldErrors(parsed.errors)}`);
  return { kind, value: parsed.value, ref: objectRef(kind, parsed.value.metadata) } as Manifest;
}

const kindOf = (raw: RawObject): Manifest["kind"] | undefined =>
  typeof raw.kind === "string" && Object.hasOwn(PARSERS, raw.kind) ? (raw.kind as Manifest["kind"]) : undefined;

const nameOf = (raw: RawObject): string => (typeof raw.metadata?.name === "string" ? raw.metadata.name : "(no name)");

function withDefaultNamespace(raw: RawObject): RawObject {
  return raw.metadata?.namespace === undefined ? { ...raw, metadata: { ...raw.metadata, namespace: DEFAULT_MANIFEST_NAMESPACE } } : raw;
}

function fieldErrors(errors: readonly FieldError[]): string {
  return errors.map((e) => (e.path === "" ? e.message : `field ${e.path}: ${e.message}`)).join("; ") || describeErrors(errors);
}

const sameRef = (a: ObjectRef, b: ObjectRef): boolean => a.kind === b.kind && a.name === b.name && (a.namespace ?? "") === (b.namespace ?? "");

export interface ApplyOptions {
  /** Remove the manifests' objects instead of creating or changing them. */
  readonly delete: boolean;
  /** RFC 3339 time a new TrafficPolicy would be created at (it ranks last among conflicting policies). */
  readonly now: string;
}

/** The planner's input once `manifests` are applied (or deleted), in order. */
export function applyManifests(input: PlanInput, manifests: readonly Manifest[], options: ApplyOptions): PlanInput {
  return manifests.reduce((current, manifest) => applyOne(current, manifest, options), input);
}

function applyOne(input: PlanInput, m: Manifest, options: ApplyOptions): PlanInput {
  const keep = <T extends { ref: ObjectRef }>(list: readonly T[]): T[] => list.filter((o) => !sameRef(o.ref, m.ref));
  switch (m.kind) {
    case "ServiceDependency":
      return { ...input, dependencies: [...keep(input.dependencies), ...(options.delete ? [] : [dependencyOf(m.value)])] };
    case "TrafficPolicy":
      return { ...input, policies: [...keep(input.policies), ...(options.delete ? [] : [policyOf(input, m.value, m.ref, options.now)])] };
    case "FailoverDrill":
      // A drill applied is a drill in effect: plan shows what evacuating its target would change.
      return { ...input, drills: [...keep(input.drills), ...(options.delete ? [] : [drillOf(m.value)])] };
    case "MeshCluster":
      return applyCluster(input, m.value, options.delete);
  }
}

/** A changed policy keeps its creation time (it decides conflicts); a new one is created now. */
function policyOf(input: PlanInput, value: TrafficPolicy, ref: ObjectRef, now: string): PlanInput["policies"][number] {
  const existing = input.policies.find((p) => sameRef(p.ref, ref));
  return { ...trafficPolicyOf(value), createdAt: existing?.createdAt ?? value.metadata.creationTimestamp ?? now };
}

/**
 * A MeshCluster replaces the cluster of that name (a new one has no workloads yet: they are known
 * only once it syncs). A gateway given as a Service reference keeps the address known today.
 * Deleting it takes its workloads out too, as disengaging it does.
 */
function applyCluster(input: PlanInput, value: MeshCluster, remove: boolean): PlanInput {
  const name = value.metadata.name;
  const others = input.clusters.filter((c) => c.name !== name);
  if (remove) return { ...input, clusters: others, workloads: input.workloads.filter((w) => w.cluster !== name) };
  const existing = input.clusters.find((c) => c.name === name);
  const cluster = memberClusterOf(value);
  const gateway = cluster.gateway ?? (value.spec.gateway?.serviceRef === undefined ? undefined : existing?.gateway);
  return { ...input, clusters: [...others, gateway === undefined ? cluster : { ...cluster, gateway }] };
}
