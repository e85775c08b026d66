// Convergence latency trials: a new workload in one cluster, timed from its first create call to the
// ADDED watch event of its ServiceEntry in the cluster of an identity that depends on it.
import { Watch } from "@kubernetes/client-node";

import { apply } from "../support/federation-members.js";
import { applyWorkload } from "../support/federation-workloads.js";
import { BENCH_NAMESPACE, type BenchFleet, type BenchMember } from "./converge-fleet.js";
import { dependency, SYNC } from "./converge-steps.js";

const TRIAL_TIMEOUT_MS = 15_000;

/** Watches ServiceEntries in `member`'s sync namespace; resolves each waiter when its object is added. */
class AddedTimes {
  private readonly seen = new Map<string, number>();
  private readonly waiters = new Map<string, (at: number) => void>();
  private controller: AbortController | undefined;

  async start(member: BenchMember): Promise<void> {
    const watch = new Watch(member.plane.kubeConfig);
    const path = `/apis/networking.istio.io/v1/namespaces/${SYNC}/serviceentries`;
    this.controller = await watch.watch(path, {}, (type: string, object: { metadata?: { name?: string } }) => this.event(type, object.metadata?.name ?? ""), () => undefined);
  }

  stop(): void {
    this.controller?.abort();
  }

  added(name: string): Promise<number> {
    const at = this.seen.get(name);
    if (at !== undefined) return Promise.resolve(at);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`ServiceEntry ${name} did not appear within ${TRIAL_TIMEOUT_MS} ms`)), TRIAL_TIMEOUT_MS);
      this.waiters.set(name, (time) => (clearTimeout(timer), resolve(time)));
    });
  }

  private event(type: string, name: string): void {
    if (type !== "ADDED") return;
    const at = performance.now();
    this.seen.set(name, at);
    this.waiters.get(name)?.(at);
  }
}

/** Latencies in ms, one per trial. */
export async function latencyTrials(fleet: BenchFleet, trials: number): Promise<number[]> {
  const [east, eastB, west] = fleet.members as [BenchMember, BenchMember, BenchMember];
  const names = Array.from({ length: trials }, (_, i) => `lat${i}`);
  await applyWorkload(west.plane, { namespace: BENCH_NAMESPACE, name: "client", identity: "client", ready: 1 });
  await apply(fleet.home.objects, dependency("client", "client", names));
  const watcher = new AddedTimes();
  await watcher.start(west);
  const latencies: number[] = [];
  try {
    for (const [i, identity] of names.entries()) {
      const member = i % 2 === 0 ? east : eastB;
      const started = performance.now();
      await applyWorkload(member.plane, { namespace: BENCH_NAMESPACE, name: identity, identity, ready: 1 });
      latencies.push((await watcher.added(`default.${identity}.global-se`)) - started);
    }
  } finally {
    watcher.stop();
  }
  return latencies;
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return Math.round(sorted[index] ?? Number.NaN);
}
