// The steps of the convergence benchmark (see converge.ts): seeding identities, waiting for the
// members to equal the plan, and counting the writes of a resync.
import type { KubernetesObject } from "@kubernetes/client-node";

import { API_VERSION } from "../../crds/index.js";
import { loadControllerConfig } from "../../controller/config/index.js";
import { waitUntil } from "../harness/wait-until.js";
import { metricSum, type ControllerProcess } from "../support/controller-process.js";
import { apply } from "../support/federation-members.js";
import { settle, type RunningFederation } from "../support/federation-runtime.js";
import { applyWorkload } from "../support/federation-workloads.js";
import { liveObjects, plannedObjects } from "../support/fleet-state.js";
import { BENCH_NAMESPACE, inParallel, type BenchFleet, type BenchMember } from "./converge-fleet.js";

export const SYNC = "meridian-sync";

export const dependency = (name: string, source: string, destinations: readonly string[]): KubernetesObject =>
  ({ apiVersion: API_VERSION, kind: "ServiceDependency", metadata: { name, namespace: `${BENCH_NAMESPACE}-deps` }, spec: { source: { identity: source }, destinations: destinations.map((identity) => ({ identity })) } }) as KubernetesObject;

export async function seedIdentities(fleet: BenchFleet, count: number): Promise<string[]> {
  const identities = Array.from({ length: count }, (_, i) => `id${i}`);
  await inParallel(identities, 8, async (identity) => {
    const i = Number(identity.slice(2));
    const member = fleet.members[i % fleet.members.length] as BenchMember;
    await applyWorkload(member.plane, { namespace: BENCH_NAMESPACE, name: identity, identity, ready: 1 });
  });
  await inParallel(identities, 8, async (identity) => {
    const next = `id${(Number(identity.slice(2)) + 1) % count}`;
    await apply(fleet.home.objects, dependency(identity, identity, [next]));
  });
  return identities;
}

/**
 * Waits until every member equals the plan. Comparing thousands of objects costs CPU the controller
 * is competing for, so it first waits for the controller's queues to run dry (a cheap gauge), then
 * compares once a second.
 */
export interface ConvergenceWatch {
  readonly fleet: BenchFleet;
  /** Its graph gives the plan. */
  readonly federation: RunningFederation;
  readonly identities: ReadonlySet<string>;
  readonly controller: ControllerProcess;
}

export async function converged(watch: ConvergenceWatch, timeoutMs: number): Promise<void> {
  const { fleet, federation, identities } = watch;
  await drained(watch.controller, timeoutMs);
  const loaded = loadControllerConfig({}, {});
  if (!loaded.ok) throw new Error(loaded.errors.join("; "));
  const clusters = fleet.members.map((m) => m.cluster);
  await waitUntil(
    async () => {
      await settle(federation, 300);
      const want = plannedObjects(federation.graph.snapshot(), loaded.config.planner, clusters, identities);
      const have = await liveObjects(fleet.members, SYNC, identities);
      return sameFleet(want, have);
    },
    { what: "the fleet to converge", timeoutMs, intervalMs: 1_000 },
  );
}

function sameFleet(want: Record<string, Record<string, unknown>>, have: Record<string, Record<string, unknown>>): boolean {
  return Object.keys(want).every((cluster) => {
    const [w, h] = [want[cluster] ?? {}, have[cluster] ?? {}];
    return Object.keys(w).length === Object.keys(h).length && Object.keys(w).every((name) => JSON.stringify(w[name]) === JSON.stringify(h[name]));
  });
}

/** Waits until the controller's queues hold no waiting or active job (the gauges refresh every second). */
export async function drained(controller: ControllerProcess, timeoutMs = 300_000): Promise<void> {
  const port = await controller.port();
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  await waitUntil(async () => (await metricSum(port, "meridian_queue_jobs", 'state="waiting"')) + (await metricSum(port, "meridian_queue_jobs", 'state="active"')) === 0, { what: "the queues to drain", timeoutMs, intervalMs: 200 });
}

/** API writes of a fresh controller's start-up resync (every key) over the converged fleet. */
export async function resyncWrites(controller: ControllerProcess): Promise<number> {
  await waitUntil(async () => controller.logged(/^Enqueued a full resync$/).length > 0, { what: "the start-up resync", timeoutMs: 120_000 });
  await drained(controller);
  return metricSum(await controller.port(), "meridian_api_writes_total");
}
