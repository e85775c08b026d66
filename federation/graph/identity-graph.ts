// The global identity graph: the member clusters and their workloads (each cluster's list replaced
// as a whole when its derivation reruns), plus the ServiceDependencies, TrafficPolicies and active
// FailoverDrills of the home cluster. Every update computes the identities it touches from the old and
// the new value and reports them to the subscribed sinks; snapshot() assembles the planner's input.

import type { ClusterName, Workload } from "../graph-model.js";
import type { GraphChangeSink } from "./change-sink.js";
import { ALL_KEYS, NO_KEYS, callerChangeKeys, clusterChangeKeys, dependencyChangeKeys, drillChangeKeys, identityKeys, policyChangeKeys, sameValue, workloadChangeKeys } from "./change-keys.js";
import type { ChangeKeys } from "./change-keys.js";
import type { Dependency, Drill, DrillTarget, GraphSnapshot, MemberCluster, TrafficPolicy } from "./model.js";
import { assembleSnapshot } from "./snapshot.js";
import type { ClusterEntry } from "./snapshot.js";
import { WorkloadChanges } from "./workload-changes.js";

/** How the registry and the home-object watches feed the graph. Keys are `namespace/name`. */
export interface GraphUpdates {
  /** A member's attributes and its whole workload list (replaces the previous list). */
  setCluster(member: MemberCluster, workloads: readonly Workload[]): void;
  removeCluster(name: ClusterName): void;
  /** The cluster has not synced since it was engaged, or its watches are failing (see GraphInput.pendingClusters). */
  setPending(name: ClusterName, pending: boolean): void;
  setDependency(key: string, dependency: Dependency | undefined): void;
  setPolicy(key: string, policy: TrafficPolicy | undefined): void;
  /** `drill` only while it is in effect; undefined otherwise. */
  setDrill(key: string, drill: Drill | undefined): void;
}

export class IdentityGraph implements GraphUpdates {
  private readonly clusters = new Map<ClusterName, ClusterEntry>();
  private readonly dependencies = new Map<string, Dependency>();
  private readonly policies = new Map<string, TrafficPolicy>();
  private readonly drills = new Map<string, Drill>();
  private readonly pending = new Set<ClusterName>();
  private readonly sinks = new Set<GraphChangeSink>();
  private cached: GraphSnapshot | undefined;
  private readonly workloadChanges = new WorkloadChanges();

  /** Reports every later change to `sink`; returns the unsubscribe function. */
  subscribe(sink: GraphChangeSink): () => void {
    this.sinks.add(sink);
    return () => this.sinks.delete(sink);
  }

  snapshot(): GraphSnapshot {
    if (this.cached === undefined) {
      this.cached = assembleSnapshot({ clusters: this.clusters, dependencies: this.dependencies, policies: this.policies, drills: this.drills, pending: this.pending });
      this.workloadChanges.stamp(this.cached);
    }
    return this.cached;
  }

  /** The identities whose workloads changed since `snapshot` (one this graph returned), or undefined when anything else changed too. */
  workloadChangesSince(snapshot: GraphSnapshot): ReadonlySet<string> | undefined {
    return this.workloadChanges.since(snapshot);
  }

  /** The current workloads of one identity, in the snapshot's order. */
  workloadsOf(identity: string): readonly Workload[] {
    return this.workloadChanges.workloadsOf(identity);
  }

  /** The member clusters currently in the graph (those whose watches have synced). */
  clusterNames(): ClusterName[] {
    return [...this.clusters.keys()];
  }

  /** Registered clusters not synced now (never since engaged, or failing), sorted. */
  pendingClusters(): readonly ClusterName[] {
    return this.snapshot().pendingClusters ?? [];
  }

  // A cluster that becomes pending changes no plan, only what may be removed (the snapshot, for the
  // status). One that stops being pending (synced, or its registration removed) releases what was
  // held for it: every key, since any identity may have been held.
  setPending(name: ClusterName, pending: boolean): void {
    if (this.pending.has(name) === pending) return;
    if (pending) {
      this.pending.add(name);
      this.changed(NO_KEYS, `Cluster ${name} pending`);
    } else {
      this.pending.delete(name);
      this.changed(ALL_KEYS, `Cluster ${name} no longer pending`);
    }
    this.clusterSetChanged();
  }

  // An update that changes nothing the graph holds (a ServiceDependency status write, a MeshCluster's
  // status, a watch restart) keeps the snapshot: otherwise each makes the planner cache re-plan the
  // whole fleet (during a drill, the status reporter's writes did so about 150 times a phase).
  setCluster(member: MemberCluster, workloads: readonly Workload[]): void {
    const before = this.clusters.get(member.name);
    if (before !== undefined && sameValue(before.member, member) && sameValue(before.workloads, workloads)) return;
    this.clusters.set(member.name, { member, workloads });
    const previous = before?.workloads ?? [];
    this.workloadChanges.setClusterWorkloads(member.name, previous, workloads);
    const memberKeys = clusterChangeKeys(before?.member, member, [...previous, ...workloads]);
    const changedWorkloads = workloadChangeKeys(previous, workloads);
    const workloadKeys = union(changedWorkloads, callerChangeKeys(previous, workloads, this.dependencies.values()));
    const cause = before === undefined ? `Cluster ${member.name} joined` : `Cluster ${member.name} changed`;
    this.changed(union(memberKeys, workloadKeys), cause, onlyWorkloadsChanged(before?.member, member, changedWorkloads));
    if (before === undefined) this.clusterSetChanged();
  }

  removeCluster(name: ClusterName): void {
    this.setPending(name, false);
    const before = this.clusters.get(name);
    if (before === undefined) {
      return;
    }
    this.clusters.delete(name);
    this.workloadChanges.setClusterWorkloads(name, before.workloads, []);
    const keys = union(clusterChangeKeys(before.member, undefined, before.workloads), callerChangeKeys(before.workloads, [], this.dependencies.values()));
    this.changed(keys, `Cluster ${name} left`);
    this.clusterSetChanged();
  }

  setDependency(key: string, dependency: Dependency | undefined): void {
    if (sameValue(this.dependencies.get(key), dependency)) return;
    const keys = dependencyChangeKeys(replace(this.dependencies, key, dependency), dependency);
    this.changed(keys, `ServiceDependency ${key} changed`);
  }

  setPolicy(key: string, policy: TrafficPolicy | undefined): void {
    if (sameValue(this.policies.get(key), policy)) return;
    const keys = policyChangeKeys(replace(this.policies, key, policy), policy);
    this.changed(keys, `TrafficPolicy ${key} changed`);
  }

  setDrill(key: string, drill: Drill | undefined): void {
    if (sameValue(this.drills.get(key), drill)) return;
    const keys = drillChangeKeys(replace(this.drills, key, drill), drill, (target) => this.identitiesIn(target));
    this.changed(keys, `FailoverDrill ${key} changed`);
  }

  private clusterSetChanged(): void {
    const names = this.clusterNames();
    for (const sink of this.sinks) sink.clustersChanged?.(names);
  }

  /** The identities with workloads in a drill's target region or cluster. */
  private identitiesIn(target: DrillTarget): Set<string> {
    const identities = new Set<string>();
    for (const { member, workloads } of this.clusters.values()) {
      const inTarget = "cluster" in target ? member.name === target.cluster : member.region === target.region;
      if (inTarget) for (const workload of workloads) identities.add(workload.identity);
    }
    return identities;
  }

  /**
   * Every update that changed a value passes here: the snapshot is rebuilt even when no identity is
   * touched. `onlyWorkloads`: the identities whose workloads changed, when nothing else did.
   */
  private changed(keys: ChangeKeys, cause: string, onlyWorkloads?: ReadonlySet<string>): void {
    this.cached = undefined;
    this.workloadChanges.record(onlyWorkloads);
    if (!keys.all && keys.identities.length === 0) {
      return;
    }
    for (const sink of this.sinks) {
      if (keys.all) {
        sink.allChanged(cause);
      } else {
        sink.identitiesChanged(keys.identities, cause);
      }
    }
  }
}

/** The identities whose workloads changed, when the cluster was there with the same attributes; else undefined. */
function onlyWorkloadsChanged(before: MemberCluster | undefined, after: MemberCluster, changed: ChangeKeys): ReadonlySet<string> | undefined {
  return before !== undefined && sameValue(before, after) && !changed.all ? new Set(changed.identities) : undefined;
}

/** Stores (or deletes) `value` under `key`; returns the value it replaced. */
function replace<T>(map: Map<string, T>, key: string, value: T | undefined): T | undefined {
  const before = map.get(key);
  if (value === undefined) {
    map.delete(key);
  } else {
    map.set(key, value);
  }
  return before;
}

function union(a: ChangeKeys, b: ChangeKeys): ChangeKeys {
  if (a.all || b.all) {
    return a.all ? a : b;
  }
  return identityKeys([...a.identities, ...b.identities]);
}
