// The fleet the benchmarks run on: control planes and Redis from the harness, the clusters registered
// with the CLI in their regions (by default the convergence benchmark's three, in two regions), and
// helpers to write workloads quickly.
import { CoreV1Api, KubeConfig, KubernetesObjectApi } from "@kubernetes/client-node";

import { makeClient } from "../../federation/registration/clients.js";
import { ensureBinaries, readHarnessConfig, startControlPlane, startRedis, type ControlPlane, type TestRedis } from "../harness/index.js";
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

const CONVERGE_CLUSTERS: readonly BenchCluster[] = [
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

export async function startBenchFleet(clusters: readonly BenchCluster[] = CONVERGE_CLUSTERS): Promise<BenchFleet> {
  const config = readHarnessConfig();
  await ensureBinaries(config);
  const started: { stop(): Promise<void> }[] = [];
  try {
    const redis: TestRedis = await startRedis(config);
    started.push(redis);
    // Every start settles before a failure is thrown, so the planes that did start are stopped too.
    const starts = await Promise.allSettled(clusters.map((c) => startControlPlane({ name: c.name, config })));
    const planes = starts.flatMap((start) => (start.status === "fulfilled" ? [start.value] : []));
    started.push(...planes);
    const failed = starts.find((start): start is PromiseRejectedResult => start.status === "rejected");
    if (failed !== undefined) throw failed.reason;
    const connectedPlanes = planes.map(connected);
    const home = connectedPlanes[0] as ConnectedControlPlane;
    for (const [i, c] of clusters.entries()) {
      const plane = connectedPlanes[i] as ConnectedControlPlane;
      const run = await meridian("cluster", "register", c.name, "--kubeconfig", plane.info.kubeconfig, "--region", c.region, "--gateway-address", c.gateway, "--home-kubeconfig", home.info.kubeconfig);
      if (run.code !== 0) throw new Error(`cluster register ${c.name}: ${run.stderr}`);
      await ensureNamespace(plane, BENCH_NAMESPACE);
    }
    await ensureNamespace(home, `${BENCH_NAMESPACE}-deps`);
    const members = clusters.map((c, i) => ({ cluster: c.name, plane: connectedPlanes[i] as ConnectedControlPlane }));
    return { home, members, redisUrl: redis.url, stop: () => stopAll(started) };
  } catch (err) {
    await stopAll(started);
    throw err;
  }
}

async function stopAll(servers: readonly { stop(): Promise<void> }[]): Promise<void> {
  await Promise.allSettled(servers.map((server) => server.stop()));
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
