// Reading what the controller wrote (Meridian's labelled objects in each member's sync namespace)
// and waiting until it is what the scenario implies: every expected ServiceEntry with all its
// endpoints, every expected DestinationRule with the locality load balancing its policy asks for.
import { CustomObjectsApi } from "@kubernetes/client-node";

import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from "../../controller/core/index.js";
import type { DestinationRule, ServiceEntry } from "../../crds/istio.js";
import { waitUntil } from "../harness/wait-until.js";
import type { RunningCluster } from "./fleet.js";
import { SYNC_NAMESPACE, type ExpectedHost } from "./scenario.js";

/** Live objects carry more metadata than the planner's (uid, managedFields …). */
export type LiveServiceEntry = ServiceEntry & { metadata: Record<string, unknown> };
export type LiveDestinationRule = DestinationRule & { metadata: Record<string, unknown> };

export interface ClusterObjects {
  readonly cluster: string;
  readonly serviceEntries: LiveServiceEntry[];
  readonly destinationRules: LiveDestinationRule[];
}

const ISTIO = { group: "networking.istio.io", version: "v1", namespace: SYNC_NAMESPACE, labelSelector: `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE}` };

export async function readClusterObjects(running: RunningCluster): Promise<ClusterObjects> {
  const api = running.kubeConfig.makeApiClient(CustomObjectsApi);
  const list = async <T>(plural: string): Promise<T[]> => ((await api.listNamespacedCustomObject({ ...ISTIO, plural })) as { items: T[] }).items;
  const [serviceEntries, destinationRules] = await Promise.all([list<LiveServiceEntry>("serviceentries"), list<LiveDestinationRule>("destinationrules")]);
  return { cluster: running.cluster.name, serviceEntries, destinationRules };
}

/** What is still missing or different in one cluster; empty when it has converged. */
export function differences(objects: ClusterObjects, expected: readonly ExpectedHost[]): string[] {
  const problems: string[] = [];
  for (const host of expected) {
    const entry = objects.serviceEntries.find((se) => se.metadata.name === host.serviceEntry);
    const rule = objects.destinationRules.find((dr) => dr.metadata.name === host.destinationRule);
    const endpoints = entry?.spec.endpoints?.length ?? 0;
    if (entry === undefined) problems.push(`ServiceEntry ${host.serviceEntry} missing`);
    else if (endpoints !== host.endpoints) problems.push(`ServiceEntry ${host.serviceEntry} has ${endpoints} of ${host.endpoints} endpoints`);
    if (rule === undefined) problems.push(`DestinationRule ${host.destinationRule} missing`);
    else if (modeOf(rule) !== host.mode) problems.push(`DestinationRule ${host.destinationRule} is ${modeOf(rule)}, not ${host.mode} yet`);
  }
  const unexpected = objects.serviceEntries.length + objects.destinationRules.length - expected.length * 2;
  if (unexpected > 0) problems.push(`${unexpected} more objects than expected`);
  return problems.map((problem) => `${objects.cluster}: ${problem}`);
}

export function modeOf(rule: DestinationRule): "Failover" | "Topology" | "Weighted" {
  const lb = rule.spec.trafficPolicy?.loadBalancer?.localityLbSetting;
  if (lb?.failoverPriority !== undefined) return "Failover";
  return lb?.distribute !== undefined ? "Weighted" : "Topology";
}

export interface ConvergenceInput {
  readonly clusters: readonly RunningCluster[];
  readonly expected: ReadonlyMap<string, readonly ExpectedHost[]>;
  readonly ready: () => Promise<boolean>;
  readonly failIf: () => string | undefined;
  readonly timeoutMs: number;
}

/** Waits for /readyz and the expected objects in every cluster; returns what was read last. */
export async function waitForConvergence(input: ConvergenceInput): Promise<ClusterObjects[]> {
  let last: ClusterObjects[] = [];
  let missing: string[] = ["/readyz has not answered 200 yet"];
  const check = async (): Promise<boolean> => {
    const ready = await input.ready();
    last = await Promise.all(input.clusters.map(readClusterObjects));
    missing = [...(ready ? [] : ["/readyz does not answer 200 yet"]), ...last.flatMap((objects) => differences(objects, input.expected.get(objects.cluster) ?? []))];
    return missing.length === 0;
  };
  try {
    await waitUntil(check, { what: "the controller to write every expected object", timeoutMs: input.timeoutMs, intervalMs: 500, failIf: input.failIf });
  } catch (err) {
    throw new Error(`${(err as Error).message}. Still missing:\n  ${missing.join("\n  ")}`, { cause: err });
  }
  return last;
}
