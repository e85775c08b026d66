// Drift-repair trials: a generated ServiceEntry deleted or edited by hand (alternately), timed from
// the hand-made call's return to the moment the member serves Meridian's object again (polled every
// 5 ms). Nothing else changes meanwhile, and the controller's resync is minutes away, so what repairs
// it is the watch on generated objects.
import { ApiException, CustomObjectsApi } from "@kubernetes/client-node";

import { canonical } from "../../federation/graph/change-keys.js";
import { makeClient } from "../../federation/kube/clients.js";
import type { BenchMember } from "./converge-fleet.js";
import { SYNC } from "./converge-steps.js";

const TRIAL_TIMEOUT_MS = 30_000;
const POLL_MS = 5;
const TARGET = { group: "networking.istio.io", version: "v1", namespace: SYNC, plural: "serviceentries" };

interface LiveEntry {
  readonly metadata: { readonly resourceVersion?: string };
  readonly spec: { readonly endpoints?: readonly unknown[] };
}

/** Resolves with the time the ServiceEntry is back with `spec` (canonical JSON). */
async function restored(api: CustomObjectsApi, name: string, spec: string): Promise<number> {
  const deadline = performance.now() + TRIAL_TIMEOUT_MS;
  while (performance.now() < deadline) {
    try {
      const live = (await api.getNamespacedCustomObject({ ...TARGET, name })) as LiveEntry;
      if (JSON.stringify(canonical(live.spec)) === spec) return performance.now();
    } catch (err) {
      if (!(err instanceof ApiException && err.code === 404)) throw err;
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  throw new Error(`ServiceEntry ${name} was not repaired within ${TRIAL_TIMEOUT_MS} ms`);
}

/** `names`: generated ServiceEntries in `member`, used in turn; even trials delete, odd ones edit (endpoints emptied). */
export async function driftTrials(member: BenchMember, names: readonly string[], trials: number): Promise<number[]> {
  const api = makeClient(member.plane.kubeConfig, CustomObjectsApi);
  const times: number[] = [];
  for (let i = 0; i < trials; i += 1) {
    const name = names[i % names.length] ?? "";
    const live = (await api.getNamespacedCustomObject({ ...TARGET, name })) as LiveEntry & Record<string, unknown>;
    const spec = JSON.stringify(canonical(live.spec));
    if (i % 2 === 0) {
      await api.deleteNamespacedCustomObject({ ...TARGET, name });
    } else {
      await api.replaceNamespacedCustomObject({ ...TARGET, name, body: { ...live, spec: { ...live.spec, endpoints: [] } }, fieldManager: "bench-hand-edit" });
    }
    const started = performance.now();
    times.push((await restored(api, name, spec)) - started);
  }
  return times;
}
