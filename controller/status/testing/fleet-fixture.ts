// Test support: a small fleet, the real planner over it, and written digests as a reconcile of every
// key would leave them, with helpers to change one key.
import { clusterName } from "../../core/index.js";
import type { Dependency, DependencyTarget, GraphInput, TrafficPolicy, Workload } from "../../core/index.js";
import { desiredDigest } from "../../reconcile/desired-digest.js";
import { PlannerCache } from "../../reconcile/planner-cache.js";
import { FleetView } from "../fleet-view.js";

export const OPTIONS = { hostSuffix: "global", syncNamespace: "meridian-sync", exportToLimit: 10 };
export const NAMESPACE = "apps";

/** a, b in us-east; c in eu-west; every cluster has a gateway. */
export const CLUSTERS = [
  { name: clusterName("a"), region: "us-east", zone: "", network: "", gateway: { address: "192.0.2.1", port: 15443 } },
  { name: clusterName("b"), region: "us-east", zone: "", network: "", gateway: { address: "192.0.2.2", port: 15443 } },
  { name: clusterName("c"), region: "eu-west", zone: "", network: "", gateway: { address: "192.0.2.3", port: 15443 } },
];

export function workload(identity: string, cluster: string, options: { env?: string; ready?: number } = {}): Workload {
  const { env = "default", ready = 1 } = options;
  return { identity, env, cluster: clusterName(cluster), namespace: identity, service: `${identity}-${env}`, ports: [{ name: "http", port: 80 }], readyByZone: { "": ready } };
}

export function dependency(name: string, source: DependencyTarget, destinations: DependencyTarget[]): Dependency {
  return { ref: { kind: "ServiceDependency", namespace: NAMESPACE, name }, source, destinations };
}

export function policy(name: string, fields: Partial<TrafficPolicy> & { identity: string }): TrafficPolicy {
  return { ref: { kind: "TrafficPolicy", namespace: NAMESPACE, name }, createdAt: "2026-01-01T00:00:00Z", mode: "Topology", regions: [], weights: [], ...fields };
}

/** payments runs in a and c, checkout in b, ledger (env prod) in a. */
export const WORKLOADS: Workload[] = [workload("payments", "a"), workload("payments", "c"), workload("checkout", "b"), workload("ledger", "a", { env: "prod" })];

export function graph(parts: Partial<GraphInput> = {}): GraphInput {
  return { clusters: CLUSTERS, workloads: WORKLOADS, dependencies: [], policies: [], drills: [], ...parts };
}

export class Fleet {
  readonly planner: PlannerCache;
  /** cluster → identity → digest: what the reconciler recorded. */
  readonly written = new Map<string, Map<string, string>>();

  constructor(readonly snapshot: GraphInput) {
    this.planner = new PlannerCache({ snapshot: () => snapshot }, OPTIONS);
  }

  /** Records what a successful reconcile of every (cluster, identity) would. */
  reconcileAll(): this {
    const identities = new Set([...this.snapshot.workloads.map((w) => w.identity), ...this.snapshot.dependencies.map((d) => d.source.identity)]);
    for (const cluster of this.snapshot.clusters) {
      for (const identity of identities) this.reconcile(cluster.name, identity);
    }
    return this;
  }

  reconcile(cluster: string, identity: string): this {
    const digest = desiredDigest(this.planner.desiredFor(cluster, identity).objects);
    const map = this.written.get(cluster) ?? new Map<string, string>();
    this.written.set(cluster, map);
    if (digest === undefined) map.delete(identity);
    else map.set(identity, digest);
    return this;
  }

  /** As if (cluster, identity) had never been reconciled. */
  unwritten(cluster: string, identity: string): this {
    this.written.get(cluster)?.delete(identity);
    return this;
  }

  view(): FleetView {
    return new FleetView({ snapshot: this.snapshot, desiredFor: (c, i) => this.planner.desiredFor(c, i), written: this.written });
  }
}
