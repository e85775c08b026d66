// What one request of each kind the reconciler makes costs a real kube-apiserver and its etcd, in CPU
// time, and what the kube-apiserver allocates for it, and prints one JSON line at the end:
//   node --import tsx e2e/bench/request-cost.ts [--requests 300]
// One control plane with Istio's CRDs (and the harness's meridian-sync namespace); N ServiceEntries
// shaped like Meridian's (three endpoints in three regions); each kind of request made N times, ten at
// a time; CPU from /proc/<pid>/stat of kube-apiserver and etcd before and after; allocation from the
// kube-apiserver's own go_memstats_alloc_bytes_total (its Go garbage collector's work follows it).
// Applies are sent as the reconciler sends them (field validation "Ignore"), and once more with the
// API server's default ("Warn") for comparison. Explains where a drill's time goes (README, Benchmarks).
import { readFileSync } from "node:fs";

import { CustomObjectsApi, PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";

import { readHarnessConfig, startControlPlane } from "../harness/index.js";
import { apiServerMetric } from "../support/apiserver-metrics.js";
import { makeClient } from "../../federation/kube/clients.js";

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

/** Meridian's shape; `first` is the last octet of the first endpoint's address (a change moves it). */
function serviceEntry(i: number, endpoints: number, first = 1) {
  return {
    apiVersion: "networking.istio.io/v1",
    kind: "ServiceEntry",
    metadata: { name: `cost-${i}`, namespace: NAMESPACE, labels: { "meridian.dev/identity": `id${i}`, "app.kubernetes.io/managed-by": "meridian" } },
    spec: {
      hosts: [`default.id${i}.global`],
      location: "MESH_INTERNAL",
      resolution: "STATIC",
      ports: [{ number: 80, name: "http", protocol: "HTTP" }],
      endpoints: Array.from({ length: endpoints }, (_, k) => ({ address: `192.0.2.${k + first}`, ports: { http: 15443 }, locality: `region-${k}/region-${k}a`, network: `net-${k}` })),
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
    const allocatedBytes = (): Promise<number> => apiServerMetric({ kubeConfig: plane.kubeConfigObject, adminToken: plane.adminToken }, "go_memstats_alloc_bytes_total");
    const figures: Record<string, number> = {};
    /** Makes `request` `count` times, ten at a time; records CPU ms (and allocated KB) per request as `name`_ms (`name`_kb). */
    const measure = async (name: string, request: (i: number) => Promise<unknown>, count = n): Promise<void> => {
      const [before, allocatedBefore] = [pids.map(cpuTicks), await allocatedBytes()];
      for (let start = 0; start < count; start += BATCH) await Promise.all(Array.from({ length: Math.min(BATCH, count - start) }, (_, j) => request(start + j)));
      const ticks = pids.map(cpuTicks).reduce((sum, after, k) => sum + after - (before[k] ?? 0), 0);
      figures[`${name}_ms`] = Math.round((ticks * 10 * 100) / count) / 100;
      figures[`${name}_kb`] = Math.round(((await allocatedBytes()) - allocatedBefore) / 1024 / count);
    };
    const apply = (body: object, fieldValidation?: string): Promise<unknown> =>
      api.patchNamespacedCustomObject({ ...TARGET, name: (body as { metadata: { name: string } }).metadata.name, body, fieldManager: "meridian", force: true, ...(fieldValidation === undefined ? {} : { fieldValidation }) }, SSA);
    // Each change moves the endpoints: three in the created objects, then two, at other addresses each time.
    await measure("ssa_create", (i) => apply(serviceEntry(i, 3), "Ignore"));
    await measure("ssa_change", (i) => apply(serviceEntry(i, 2, 10), "Ignore"));
    await measure("ssa_change_warn", (i) => apply(serviceEntry(i, 2, 20)));
    await measure("ssa_unchanged", (i) => apply(serviceEntry(i, 2, 20), "Ignore"));
    await measure("merge_patch", (i) => api.patchNamespacedCustomObject({ ...TARGET, name: `cost-${i}`, body: { spec: serviceEntry(i, 2, 30).spec } }, MERGE));
    await measure("get", (i) => api.getNamespacedCustomObject({ ...TARGET, name: `cost-${i}` }));
    await measure("cached_list", (i) => api.listNamespacedCustomObject({ ...TARGET, labelSelector: `meridian.dev/identity=id${i}`, resourceVersion: "0" }));
    await measure("consistent_list", (i) => api.listNamespacedCustomObject({ ...TARGET, labelSelector: `meridian.dev/identity=id${i}` }));
    // What a drill's read-back costs: a consistent list of every ServiceEntry in the namespace (N of them).
    await measure("namespace_list", () => api.listNamespacedCustomObject({ ...TARGET }), LIST_ALL_REQUESTS);
    console.log(JSON.stringify({ bench: "request-cost", requests: n, unit: "_ms: kube-apiserver + etcd CPU ms per request; _kb: KB the kube-apiserver allocated per request", ...figures }));
  } finally {
    await plane.stop();
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
