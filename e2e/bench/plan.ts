// Benchmark of the pure planner on a synthetic fleet: 200 clusters in 6 regions, 20,000 identities
// each in 1–3 clusters, 100,000 dependency edges (plus two wildcard sources, like mesh-wide probers).
// Measures the full plan (index + plan), the process's peak RSS and the median incremental re-plan
// after one workload change. Progress goes to stderr; the last line of stdout is one JSON object.
//   npm run bench:plan   (node --expose-gc --import tsx e2e/bench/plan.ts)
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import {
  type ClusterName, clusterName, type Dependency, type DependencyTarget, type Drill, identitiesAffectedBy, indexFleet,
  type MemberCluster, planFleet, planIdentity, type PlanInput, type TrafficPolicy, withWorkloads, type Workload,
} from "../../controller/core/index.js";

const CLUSTERS = 200;
const IDENTITIES = 20_000;
const EDGES = 100_000;
const WILDCARD_SOURCES = 2;
const CHANGES = 200;
const REGIONS = ["us-east", "us-west", "eu-west", "eu-central", "ap-south", "ap-northeast"];
const ZONES = ["a", "b", "c"];

/** mulberry32: a small seeded PRNG, so every run plans the same fleet. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = prng(20260601);
const int = (n: number): number => Math.floor(random() * n);
const identityName = (i: number): string => `svc-${String(i).padStart(5, "0")}`;

function makeClusters(): MemberCluster[] {
  return Array.from({ length: CLUSTERS }, (_, i) => {
    const region = REGIONS[i % REGIONS.length] as string;
    return {
      name: clusterName(`cluster-${String(i).padStart(3, "0")}`),
      region,
      zone: `${region}-${ZONES[i % ZONES.length]}`,
      network: `net-${i}`,
      gateway: { address: `10.${i >> 8}.${i & 255}.1`, port: 15443 },
    };
  });
}

function makeWorkload(identity: string, env: string, cluster: MemberCluster, i: number): Workload {
  const ports = [{ name: "http", port: 8080 }];
  if (i % 3 === 0) ports.push({ name: "grpc", port: 9090 });
  if (i % 5 === 0) ports.push({ name: "tcp-metrics", port: 9100 });
  const zone = `${cluster.region}-${ZONES[int(ZONES.length)]}`;
  const readyByZone: Record<string, number> = { [zone]: 1 + int(5) };
  if (i % 7 === 0) readyByZone[""] = 1 + int(3);
  const namespace = env === "prod" ? `ns-${i % 500}` : `ns-${i % 500}-${env}`;
  return { identity, env, cluster: cluster.name, namespace, service: identity, ports, readyByZone };
}

function makeWorkloads(clusters: readonly MemberCluster[]): Workload[] {
  const workloads: Workload[] = [];
  for (let i = 0; i < IDENTITIES; i++) {
    const count = 1 + int(3);
    const homes = new Set<number>();
    while (homes.size < count) homes.add(int(CLUSTERS));
    for (const c of homes) workloads.push(makeWorkload(identityName(i), "prod", clusters[c] as MemberCluster, i));
    if (i % 10 === 0) workloads.push(makeWorkload(identityName(i), "staging", clusters[int(CLUSTERS)] as MemberCluster, i));
  }
  return workloads;
}

function makeDependencies(): Dependency[] {
  const bySource = new Map<number, Map<number, DependencyTarget>>();
  let edges = 0;
  while (edges < EDGES) {
    const source = int(IDENTITIES);
    const destination = int(IDENTITIES);
    const targets = bySource.get(source) ?? new Map<number, DependencyTarget>();
    bySource.set(source, targets);
    if (source === destination || targets.has(destination)) continue;
    targets.set(destination, destination % 4 === 0 ? { identity: identityName(destination), env: "prod" } : { identity: identityName(destination) });
    edges++;
  }
  const deps: Dependency[] = [...bySource].map(([source, targets]) => ({
    ref: { kind: "ServiceDependency", namespace: `ns-${source % 500}`, name: identityName(source) },
    source: source % 9 === 0 ? { identity: identityName(source), env: "prod" } : { identity: identityName(source) },
    destinations: [...targets.values()],
  }));
  for (let w = 0; w < WILDCARD_SOURCES; w++) {
    deps.push({ ref: { kind: "ServiceDependency", namespace: "monitoring", name: `prober-${w}` }, source: { identity: identityName(w * 7919) }, destinations: [{ identity: "*" }] });
  }
  return deps;
}

function makePolicies(): TrafficPolicy[] {
  const policies: TrafficPolicy[] = [];
  for (let i = 0; i < IDENTITIES; i += 10) {
    const mode = (["Topology", "Failover", "Weighted"] as const)[(i / 10) % 3] as TrafficPolicy["mode"];
    const regions = [REGIONS[int(6)] as string, REGIONS[int(6)] as string].filter((r, j, all) => all.indexOf(r) === j);
    policies.push({
      ref: { kind: "TrafficPolicy", namespace: `ns-${i % 500}`, name: identityName(i) },
      createdAt: "2026-01-01T00:00:00Z", identity: identityName(i), mode, regions,
      weights: mode === "Weighted" ? [{ region: REGIONS[0] as string, weight: 60 }, { region: REGIONS[2] as string, weight: 40 }] : [],
    });
  }
  return policies;
}

function makeInput(): PlanInput {
  const clusters = makeClusters();
  const drills: Drill[] = [{ ref: { kind: "FailoverDrill", namespace: "ops", name: "evacuate-ap-south" }, target: { region: "ap-south" }, identities: Array.from({ length: 200 }, (_, i) => identityName(i * 97)) }];
  return {
    clusters, workloads: makeWorkloads(clusters), dependencies: makeDependencies(), policies: makePolicies(), drills,
    options: { hostSuffix: "global", syncNamespace: "meridian-sync", exportToLimit: 8 },
  };
}

function peakRssMb(): number {
  const line = readFileSync("/proc/self/status", "utf8").split("\n").find((l) => l.startsWith("VmHWM:"));
  const kb = line === undefined ? process.memoryUsage().rss / 1024 : Number(line.replace(/\D+/g, ""));
  return Math.round(kb / 1024);
}

const gc = (): void => (globalThis as { gc?: () => void }).gc?.();

function changeOne(workloads: Workload[], clusters: readonly MemberCluster[], step: number): { identity: string; workloads: Workload[] } {
  const at = int(workloads.length);
  const old = workloads[at] as Workload;
  const own = new Set(workloads.filter((w) => w.identity === old.identity && w.env === old.env).map((w) => w.cluster));
  let moved: ClusterName = old.cluster;
  if (step % 2 === 1) {
    const free = clusters.filter((c) => !own.has(c.name));
    moved = (free[int(free.length)] as MemberCluster).name;
  }
  const zone = `${(clusters.find((c) => c.name === moved) as MemberCluster).region}-a`;
  const changed: Workload = { ...old, cluster: moved, readyByZone: { [zone]: step % 4 === 0 ? 0 : 1 + int(5) } };
  workloads[at] = changed;
  return { identity: old.identity, workloads: workloads.filter((w) => w.identity === old.identity) };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function main(): void {
  const input = makeInput();
  const edges = input.dependencies.reduce((n, d) => n + (d.destinations[0]?.identity === "*" ? 0 : d.destinations.length), 0);
  console.error(`Generated ${input.clusters.length} clusters, ${input.workloads.length} workloads, ${edges} edges, ${input.policies.length} policies`);
  gc();

  const t0 = performance.now();
  let index = indexFleet(input);
  const full = planFleet(index);
  const fullMs = performance.now() - t0;
  const objects = full.clusters.reduce((n, c) => n + c.serviceEntries.length + c.destinationRules.length, 0);
  console.error(`Planned ${objects} objects in ${fullMs.toFixed(0)} ms, ${full.problems.length} problems`);

  // Byte-identical results are the planner's contract; one more run checks it cheaply here.
  const again = planFleet(indexFleet(input));
  if (JSON.stringify(again.clusters[0]) !== JSON.stringify(full.clusters[0])) throw new Error("Plan is not deterministic");

  const workloads = [...input.workloads];
  const times: number[] = [];
  let replanned = 0;
  for (let step = 0; step < CHANGES; step++) {
    const change = changeOne(workloads, input.clusters, step);
    const t = performance.now();
    index = withWorkloads(index, change.identity, change.workloads);
    const affected = identitiesAffectedBy(index, change.identity);
    for (const identity of affected) planIdentity(index, identity);
    times.push(performance.now() - t);
    replanned += affected.length;
  }
  const sorted = [...times].sort((a, b) => a - b);
  console.error(`Incremental: median ${median(times).toFixed(2)} ms, p95 ${(sorted[Math.floor(CHANGES * 0.95)] as number).toFixed(2)} ms, max ${(sorted[CHANGES - 1] as number).toFixed(2)} ms, ${(replanned / CHANGES).toFixed(1)} identities per change`);

  console.log(JSON.stringify({
    bench: "plan", clusters: input.clusters.length, identities: IDENTITIES, edges,
    full_plan_ms: Math.round(fullMs), peak_rss_mb: peakRssMb(), incremental_median_ms: Number(median(times).toFixed(3)),
  }));
}

main();
