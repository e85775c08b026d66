// What one request of each kind the reconciler makes costs a real kube-apiserver and its etcd, in CPU
// time, and prints one JSON line at the end:
//   node --import tsx e2e/bench/request-cost.ts [--requests 300]
// One control plane with Istio's CRDs (and the harness's meridian-sync namespace); N ServiceEntries shaped like Meridian's (three endpoints in
// three regions); each kind of request made N times, ten at a time; CPU from /proc/<pid>/stat of
// kube-apiserver and etcd before and after. Explains where a drill's time goes (README, Benchmarks).
import { readFileSync } from "node:fs";

import { CustomObjectsApi, PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";

import { readHarnessConfig, startControlPlane } from "../harness/index.js";
import { makeClient } from "../../federation/registration/clients.js";

const NAMESPACE = "meridian-sync";
const TARGET = { group: "networking.istio.io", version: "v1", namespace: NAMESPACE, plural: "serviceentries" };
const BATCH = 10;
const LIST_ALL_REQUESTS = 50;
const SSA = setHeaderOptions("Content-Type", PatchStrategy.ServerSideApply);
const MERGE = setHeaderOptions("Content-Type", PatchStrategy.MergePatch);

/** utime + stime of a process, in clock ticks (1/100 s). */
function cpuTicks(pid: number): number {
  const fields = (readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1] ?? "").split(" ");
  return Number(fields[11]) + Number(fields[12]);
}

function serviceEntry(i: number, endpoints: number) {
  return {
    apiVersion: "networking.istio.io/v1",
    kind: "ServiceEntry",
    metadata: { name: `cost-${i}`, namespace: NAMESPACE, labels: { "meridian.dev/identity": `id${i}`, "app.kubernetes.io/managed-by": "meridian" } },
    spec: {
      hosts: [`default.id${i}.global`],
      location: "MESH_INTERNAL",
      resolution: "STATIC",
      ports: [{ number: 80, name: "http", protocol: "HTTP" }],
      endpoints: Array.from({ length: endpoints }, (_, k) => ({ address: `192.0.2.${k + 1}`, ports: { http: 15443 }, locality: `region-${k}/region-${k}a`, network: `net-${k}` })),
    },
  };
}

async function main(args: readonly string[]): Promise<void> {
  const at = args.indexOf("--requests");
  const n = at >= 0 ? Number(args[at + 1]) : 300;
  if (!Number.isInteger(n) || n < BATCH) throw new Error(`--requests must be an integer >= ${BATCH}`);
  const plane = await startControlPlane({ name: "request-cost", config: readHarnessConfig() });
  try {
    const pids = plane.processes.map((p) => p.pid);
    const api = makeClient(plane.kubeConfigObject, CustomObjectsApi);
    const cpuMsPerRequest = async (request: (i: number) => Promise<unknown>, count = n): Promise<number> => {
      const before = pids.map(cpuTicks);
      for (let start = 0; start < count; start += BATCH) await Promise.all(Array.from({ length: Math.min(BATCH, count - start) }, (_, j) => request(start + j)));
      const ticks = pids.map(cpuTicks).reduce((sum, after, k) => sum + after - (before[k] ?? 0), 0);
      return Math.round((ticks * 10 * 100) / count) / 100;
    };
    const costs = {
      ssa_create_ms: await cpuMsPerRequest((i) => api.patchNamespacedCustomObject({ ...TARGET, name: `cost-${i}`, body: serviceEntry(i, 3), fieldManager: "meridian", force: true }, SSA)),
      ssa_change_ms: await cpuMsPerRequest((i) => api.patchNamespacedCustomObject({ ...TARGET, name: `cost-${i}`, body: serviceEntry(i, 2), fieldManager: "meridian", force: true }, SSA)),
      ssa_unchanged_ms: await cpuMsPerRequest((i) => api.patchNamespacedCustomObject({ ...TARGET, name: `cost-${i}`, body: serviceEntry(i, 2), fieldManager: "meridian", force: true }, SSA)),
      merge_patch_ms: await cpuMsPerRequest((i) => api.patchNamespacedCustomObject({ ...TARGET, name: `cost-${i}`, body: { spec: serviceEntry(i, 3).spec } }, MERGE)),
      get_ms: await cpuMsPerRequest((i) => api.getNamespacedCustomObject({ ...TARGET, name: `cost-${i}` })),
      cached_list_ms: await cpuMsPerRequest((i) => api.listNamespacedCustomObject({ ...TARGET, labelSelector: `meridian.dev/identity=id${i}`, resourceVersion: "0" })),
      consistent_list_ms: await cpuMsPerRequest((i) => api.listNamespacedCustomObject({ ...TARGET, labelSelector: `meridian.dev/identity=id${i}` })),
    };
    // What a drill's read-back costs: a consistent list of every ServiceEntry in the namespace (N of them).
    const wholeNamespace = await cpuMsPerRequest(() => api.listNamespacedCustomObject({ ...TARGET }), LIST_ALL_REQUESTS);
    console.log(JSON.stringify({ bench: "request-cost", requests: n, unit: "kube-apiserver + etcd CPU ms per request", ...costs, namespace_list_ms: wholeNamespace }));
  } finally {
    await plane.stop();
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
