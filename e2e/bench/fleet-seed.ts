// Writing the fleet benchmark's inputs (see fleet.ts): each workload as a Service carrying the
// identity label and its EndpointSlice — what the federation derives a workload from. No Deployment:
// a Service's own `identity` label is enough (federation/identity.ts), and a Deployment would be a
// third write per workload that nothing here reads. Then one ServiceDependency per identity in the
// home cluster. Writes run `concurrency` at a time.
import type { KubernetesObject } from "@kubernetes/client-node";

import { apply } from "../support/federation-members.js";
import { setReady } from "../support/federation-workloads.js";
import { BENCH_NAMESPACE, inParallel, type BenchFleet, type BenchMember } from "./converge-fleet.js";
import { dependency } from "./converge-steps.js";
import type { FleetTopology, FleetWorkload } from "./fleet-topology.js";

export type Log = (message: string) => void;

const service = (identity: string): KubernetesObject =>
  ({ apiVersion: "v1", kind: "Service", metadata: { name: identity, namespace: BENCH_NAMESPACE, labels: { identity } }, spec: { ports: [{ name: "http", port: 80, targetPort: 8080 }] } }) as KubernetesObject;

export function memberOf(fleet: BenchFleet, workload: FleetWorkload): BenchMember {
  return fleet.members[workload.cluster] as BenchMember;
}

/** Sets a workload's EndpointSlice to `ready` ready endpoints (0: one endpoint, not ready). */
export function setWorkloadReady(fleet: BenchFleet, workload: FleetWorkload, ready: number): Promise<void> {
  return setReady(memberOf(fleet, workload).plane, { namespace: BENCH_NAMESPACE, name: workload.identity, identity: workload.identity, ready });
}

export async function seedFleet(fleet: BenchFleet, topology: FleetTopology, concurrency: number, log: Log): Promise<void> {
  let done = 0;
  const progress = (what: string, total: number): void => {
    done += 1;
    if (done % 1_000 === 0 || done === total) log(`${what}: ${done}/${total}`);
  };
  await inParallel(topology.workloads, concurrency, async (workload) => {
    await apply(memberOf(fleet, workload).plane.objects, service(workload.identity));
    await setWorkloadReady(fleet, workload, 1);
    progress("workloads written", topology.workloads.length);
  });
  done = 0;
  await inParallel([...topology.calls], concurrency, async ([source, callees]) => {
    await apply(fleet.home.objects, dependency(source, source, callees));
    progress("ServiceDependencies written", topology.calls.size);
  });
}
