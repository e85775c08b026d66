// Convergence latency trials: a new workload in one cluster, timed from its first create call to the
// moment its ServiceEntry is readable (polled every 5 ms) in the cluster of an identity that calls it
// and, when a sidecar watch is given, to the moment istiod pushed the host's cluster with an endpoint
// to that identity's sidecar.
import { ApiException, CustomObjectsApi } from "@kubernetes/client-node";

import { makeClient } from "../../federation/kube/clients.js";

import { apply } from "../support/federation-members.js";
import { applyWorkload } from "../support/federation-workloads.js";
import type { XdsWatch } from "../support/xds-probe.js";
import { BENCH_NAMESPACE, type BenchFleet, type BenchMember } from "./converge-fleet.js";
import type { TrialMark } from "./converge-breakdown.js";
import { dependency, SYNC } from "./converge-steps.js";

const TRIAL_TIMEOUT_MS = 30_000;

export interface TrialOptions {
  /** How long one ServiceEntry may take to appear before the run fails (30 s by default). */
  readonly timeoutMs?: number;
  /** The caller's sidecar, connected to the istiod of the caller's cluster: also time the push. */
  readonly sidecar?: XdsWatch;
}
const POLL_MS = 5;

/** Polls `member` for the ServiceEntry every 5 ms (over one kept-alive connection pool); resolves with the time it was first seen. */
async function seen(member: BenchMember, name: string, timeoutMs: number): Promise<number> {
  const api = makeClient(member.plane.kubeConfig, CustomObjectsApi);
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    try {
      await api.getNamespacedCustomObject({ group: "networking.istio.io", version: "v1", namespace: SYNC, plural: "serviceentries", name });
      return performance.now();
    } catch (err) {
      if (!(err instanceof ApiException && err.code === 404)) throw err;
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  throw new Error(`ServiceEntry ${name} did not appear in ${member.cluster} within ${timeoutMs} ms`);
}

export interface TrialTimes {
  /** From the first create call to the ServiceEntry readable in the caller's cluster. */
  readonly latencies: number[];
  /** Of which: writing the workload (Service, Deployment, EndpointSlice). */
  readonly creations: number[];
  /** From the first create call to istiod's push of the host, with an endpoint, to the caller's sidecar (with `sidecar` only). */
  readonly sidecar: number[];
  /** Each trial's identity and clock times, for reading the controller's log (converge-breakdown.ts). */
  readonly marks: TrialMark[];
}

/** Unix time in ms with sub-ms precision: the clock the watching probe stamps pushes with. */
const unixNow = (): number => performance.timeOrigin + performance.now();

/** One latency per trial. `drained` waits until the controller's queues are empty. */
export async function latencyTrials(fleet: BenchFleet, trials: number, drained: () => Promise<void>, options: TrialOptions = {}): Promise<TrialTimes> {
  const [east, eastB, west] = fleet.members as [BenchMember, BenchMember, BenchMember];
  const names = Array.from({ length: trials }, (_, i) => `lat${i}`);
  await applyWorkload(west.plane, { namespace: BENCH_NAMESPACE, name: "client", identity: "client", ready: 1 });
  await apply(fleet.home.objects, dependency("client", "client", names));
  // The new dependency names every trial's identity: let the keys it enqueued run first.
  await drained();
  const times: TrialTimes = { latencies: [], creations: [], sidecar: [], marks: [] };
  const timeoutMs = options.timeoutMs ?? TRIAL_TIMEOUT_MS;
  for (const [i, identity] of names.entries()) {
    const member = i % 2 === 0 ? east : eastB;
    const host = `outbound|80||default.${identity}.global`;
    const pushed = options.sidecar?.waitFor((clusters) => clusters.some((c) => c.name === host && c.endpoints.length > 0), timeoutMs, host);
    const startedUnix = unixNow();
    const started = performance.now();
    const appeared = seen(west, `default.${identity}.global-se`, timeoutMs);
    await applyWorkload(member.plane, { namespace: BENCH_NAMESPACE, name: identity, identity, ready: 1 });
    const creationMs = performance.now() - started;
    times.creations.push(creationMs);
    const seenAt = await appeared;
    times.latencies.push(seenAt - started);
    times.marks.push({ identity, startedUnix, seenUnix: performance.timeOrigin + seenAt, creationMs });
    if (pushed !== undefined) times.sidecar.push((await pushed).atMs - startedUnix);
  }
  return times;
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return Math.round(sorted[index] ?? Number.NaN);
}
