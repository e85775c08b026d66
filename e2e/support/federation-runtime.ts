// The federation as the controller will run it, inside the test process: the identity graph, the
// home objects and the cluster registry against a real home cluster, with a recorder of the keys the
// graph reports and the log kept in memory (printed when a test fails).

import type { KubeConfig } from "@kubernetes/client-node";
import { pino } from "pino";

import { HomeObjects } from "../../federation/graph/home-objects.js";
import { IdentityGraph } from "../../federation/graph/identity-graph.js";
import type { GraphSnapshot, Workload } from "../../federation/graph/model.js";
import { ClusterRegistry } from "../../federation/registry/cluster-registry.js";
import type { RegistryTiming } from "../../federation/registry/registry-options.js";
import { waitUntil } from "../harness/wait-until.js";

export interface RecordedChange {
  identities: readonly string[] | "all";
  cause: string;
}

export interface RunningFederation {
  graph: IdentityGraph;
  registry: ClusterRegistry;
  home: HomeObjects;
  changes: RecordedChange[];
  logLines: string[];
  stop(): void;
}

export async function startFederation(homeKubeConfig: KubeConfig, timing: Partial<RegistryTiming> = {}): Promise<RunningFederation> {
  const logLines: string[] = [];
  const log = pino({ level: "debug", base: undefined, timestamp: pino.stdTimeFunctions.isoTime }, { write: (line: string) => void logLines.push(line.trimEnd()) });
  const graph = new IdentityGraph();
  const changes: RecordedChange[] = [];
  graph.subscribe({
    identitiesChanged: (identities, cause) => void changes.push({ identities, cause }),
    allChanged: (cause) => void changes.push({ identities: "all", cause }),
  });
  const registry = new ClusterRegistry({ homeKubeConfig, graph, log, timing: { probeIntervalMs: 2_000, ...timing } });
  const home = new HomeObjects({ kubeConfig: homeKubeConfig, graph, log });
  const controller = new AbortController();
  await Promise.all([registry.start(controller.signal), home.start(controller.signal)]);
  return { graph, registry, home, changes, logLines, stop: () => controller.abort() };
}

/** Every identity reported since `from` (an index into `changes`); "all" if any report was for all. */
export function identitiesSince(federation: RunningFederation, from: number): string[] | "all" {
  const reports = federation.changes.slice(from);
  if (reports.some((r) => r.identities === "all")) return "all";
  return [...new Set(reports.flatMap((r) => r.identities as readonly string[]))].sort();
}

export function workloadsOf(snapshot: GraphSnapshot, identity: string): Workload[] {
  return snapshot.workloads.filter((w) => w.identity === identity);
}

/** Waits until `check` holds for the graph's snapshot. */
export async function waitForGraph(federation: RunningFederation, what: string, check: (snapshot: GraphSnapshot) => boolean, timeoutMs = 20_000): Promise<void> {
  await waitUntil(async () => check(federation.graph.snapshot()), { what, timeoutMs, intervalMs: 50 });
}

/** A short random suffix, so names never collide with objects left by earlier runs. */
export function suffix(): string {
  return Math.random().toString(36).slice(2, 7);
}

export function printFederationLog(federation: RunningFederation | undefined, lines = 120): void {
  if (federation === undefined) return;
  console.error(`Federation log (last ${lines} lines):\n${federation.logLines.slice(-lines).join("\n")}`);
  console.error(`Graph snapshot:\n${JSON.stringify(federation.graph.snapshot(), null, 1)}`);
  console.error(`Cluster states: ${JSON.stringify(federation.registry.clusters())}`);
}

/** Waits until the graph has reported nothing for `quietMs`, and returns the position to read changes from. */
export async function settle(federation: RunningFederation, quietMs = 300): Promise<number> {
  let count = -1;
  let since = Date.now();
  await waitUntil(
    async () => {
      if (federation.changes.length !== count) {
        count = federation.changes.length;
        since = Date.now();
      }
      return Date.now() - since >= quietMs;
    },
    { what: "the graph to settle", timeoutMs: 20_000, intervalMs: 50 },
  );
  return federation.changes.length;
}
