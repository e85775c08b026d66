// The fleet the benchmarks run on: control planes and Redis from the harness, the clusters registered
// with the CLI in their regions (by default the convergence benchmark's three, in two regions), and
// helpers to write workloads quickly.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CoreV1Api, KubeConfig, KubernetesObjectApi } from "@kubernetes/client-node";

import { makeClient } from "../../federation/kube/clients.js";
import { ensureBinaries, readHarnessConfig, startControlPlane, startEtcd, startRedis, type ControlPlane, type EtcdServer, type TestRedis } from "../harness/index.js";
import type { ConnectedControlPlane } from "../support/clusters.js";
import { ensureNamespace } from "../support/federation-workloads.js";
import { meridian } from "../support/meridian-cli.js";

export interface BenchMember {
  readonly cluster: string;
  readonly plane: ConnectedControlPlane;
}

export interface BenchFleet {
  readonly home: ConnectedControlPlane;
  readonly members: readonly BenchMember[];
  readonly redisUrl: string;
  stop(): Promise<void>;
}

export interface BenchCluster {
  readonly name: string;
  readonly region: string;
  readonly gateway: string;
}

export const CONVERGE_CLUSTERS: readonly BenchCluster[] = [
  { name: "bench-east-a", region: "us-east-1", gateway: "192.0.2.31" },
  { name: "bench-east-b", region: "us-east-1", gateway: "192.0.2.32" },
  { name: "bench-west-a", region: "eu-west-1", gateway: "192.0.2.33" },
];

export const BENCH_NAMESPACE = "bench";

function connected(controlPlane: ControlPlane): ConnectedControlPlane {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(controlPlane.kubeconfig);
  const info = { name: controlPlane.name, server: controlPlane.server, kubeconfig: controlPlane.kubeconfig, adminToken: controlPlane.adminToken, logFiles: [...controlPlane.logFiles] };
  // Pooled clients (as the controller's): the bench's own writes should not pay a TLS handshake each.
  return { info, kubeConfig, core: makeClient(kubeConfig, CoreV1Api), objects: makeClient(kubeConfig, KubernetesObjectApi) };
}

/** How the fleet benchmark's larger fleets are started (the defaults are the small benchmarks'). */
export interface BenchFleetOptions {
  /** One etcd for every control plane (each API server under its own key prefix) instead of one each. */
  readonly sharedEtcd?: boolean;
  /** kube-apiserver's `--service-cluster-ip-range`; the harness default holds about 250 Services. */
  readonly serviceClusterIpRange?: string;
  /** Control planes starting (and clusters registering) at once; all at once by default. */
  readonly startConcurrency?: number;
  readonly log?: (message: string) => void;
}

export async function startBenchFleet(clusters: readonly BenchCluster[] = CONVERGE_CLUSTERS, options: BenchFleetOptions = {}): Promise<BenchFleet> {
  const config = readHarnessConfig();
  const binaries = await ensureBinaries(config);
  // Control planes are stopped first (in parallel), then what they use (Redis, a shared etcd).
  const started: Started = { planes: [], infrastructure: [] };
  const concurrency = options.startConcurrency ?? clusters.length;
  try {
    const redis: TestRedis = await startRedis(config);
    started.infrastructure.push(redis);
    const etcd = options.sharedEtcd === true ? await startSharedEtcd(binaries.etcd, started.infrastructure) : undefined;
    const start = (c: BenchCluster): Promise<ControlPlane> => startControlPlane({ name: c.name, config, sharedEtcd: etcd, serviceClusterIpRange: options.serviceClusterIpRange });
    const planes = await startPlanes(clusters, started, { concurrency, start, log: options.log });
    const connectedPlanes = planes.map(connected);
    const home = connectedPlanes[0] as ConnectedControlPlane;
    const members = clusters.map((c, i) => ({ cluster: c.name, plane: connectedPlanes[i] as ConnectedControlPlane }));
    await inParallel(clusters.map((c, i) => ({ c, member: members[i] as BenchMember })), concurrency, async ({ c, member }) => {
      const run = await meridian("cluster", "register", c.name, "--kubeconfig", member.plane.info.kubeconfig, "--region", c.region, "--gateway-address", c.gateway, "--home-kubeconfig", home.info.kubeconfig);
      if (run.code !== 0) throw new Error(`cluster register ${c.name}: ${run.stderr}`);
      await ensureNamespace(member.plane, BENCH_NAMESPACE);
    });
    await ensureNamespace(home, `${BENCH_NAMESPACE}-deps`);
    return { home, members, redisUrl: redis.url, stop: () => stopAll(started) };
  } catch (err) {
    await stopAll(started);
    throw err;
  }
}

async function startSharedEtcd(binary: string, started: Stoppable[]): Promise<EtcdServer> {
  const dir = await mkdtemp(join(tmpdir(), "meridian-bench-etcd-"));
  const etcd = await startEtcd(binary, dir);
  started.push({
    stop: async () => {
      await etcd.process.stop();
      await rm(dir, { recursive: true, force: true });
    },
  });
  return etcd;
}

/**
 * Starts the control planes, `concurrency` at a time, in the order of `clusters`. Every start settles
 * before a failure is thrown, so the planes that did start are stopped too.
 */
async function startPlanes(clusters: readonly BenchCluster[], started: Started, how: { concurrency: number; start: (c: BenchCluster) => Promise<ControlPlane>; log?: (message: string) => void }): Promise<ControlPlane[]> {
  const { concurrency, start, log } = how;
  const planes = new Map<string, ControlPlane>();
  const failures: unknown[] = [];
  await inParallel(clusters, concurrency, async (c) => {
    if (failures.length > 0) return;
    try {
      const plane = await start(c);
      planes.set(c.name, plane);
      started.planes.push(plane);
      log?.(`control plane ${c.name} started (${planes.size}/${clusters.length})`);
    } catch (err) {
      failures.push(err);
    }
  });
  if (failures.length > 0) throw failures[0];
  return clusters.map((c) => planes.get(c.name) as ControlPlane);
}

interface Stoppable {
  stop(): Promise<void>;
}

interface Started {
  readonly planes: Stoppable[];
  readonly infrastructure: Stoppable[];
}

async function stopAll(started: Started): Promise<void> {
  await Promise.allSettled(started.planes.map((server) => server.stop()));
  await Promise.allSettled(started.infrastructure.map((server) => server.stop()));
}

/** Runs `work` over `items` with at most `limit` at once. */
export async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next] as T;
      next += 1;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
