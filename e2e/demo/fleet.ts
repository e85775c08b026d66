// The demo's servers, started with the e2e harness: kube-apiserver + etcd (built once, cached),
// one control plane per cluster, Redis; then each cluster registered with `meridian cluster
// register`, in this process through the CLI's own runCli.
import { join } from "node:path";

import type { KubeConfig } from "@kubernetes/client-node";

import { binaryCacheDir } from "../harness/ensure-binaries.js";
import { ensureIstioProgram, istioProgramFound } from "../harness/istio-binaries.js";
import { isExecutable } from "../harness/find-executable.js";
import { kubernetesVersion } from "../harness/go-module-version.js";
import { ensureBinaries, startControlPlane, startRedis, type ControlPlane, type HarnessConfig, type TestRedis } from "../harness/index.js";
import { meridian } from "../support/meridian-cli.js";
import { DemoError } from "./demo-error.js";
import type { Lifetime } from "./lifetime.js";
import type { DemoCluster, Scenario } from "./scenario.js";
import { installEastWestGateway } from "./sidecars.js";

export interface RunningCluster {
  readonly cluster: DemoCluster;
  readonly plane: ControlPlane;
  readonly kubeConfig: KubeConfig;
}

/** Fails before anything starts when Redis cannot be had. */
/** Where the binaries will come from, said before a build that can take minutes. */
export async function describeBinaries(config: HarnessConfig): Promise<string> {
  if (config.kubebuilderAssets !== undefined) return `finding kube-apiserver and etcd in KUBEBUILDER_ASSETS=${config.kubebuilderAssets}`;
  const dir = binaryCacheDir(config, await kubernetesVersion());
  const cached = (await isExecutable(join(dir, "kube-apiserver"))) && (await isExecutable(join(dir, "etcd")));
  const kube = cached ? `finding kube-apiserver and etcd in ${dir}` : `building kube-apiserver and etcd with Go into ${dir} (only the first time: 5–7 minutes on 2 cores)`;
  const istio = (await istioProgramFound("pilot-discovery", config)) !== undefined && (await istioProgramFound("xds-probe", config)) !== undefined;
  return `${kube}; ${istio ? "finding istiod and the xDS probe" : "building istiod and the xDS probe from the istio.io/istio Go module (only the first time: 10–20 minutes on 2 cores)"}`;
}

export async function findBinaries(config: HarnessConfig): Promise<string> {
  const binaries = await ensureBinaries(config);
  const istiod = await ensureIstioProgram("pilot-discovery", config);
  await ensureIstioProgram("xds-probe", config);
  return `Kubernetes ${binaries.version}: ${binaries.kubeApiserver}, ${binaries.etcd}; istiod ${istiod}`;
}

/** Starts Redis and every control plane in parallel; each is owned by `lifetime` as soon as it runs. */
export async function startServers(scenario: Scenario, config: HarnessConfig, lifetime: Lifetime): Promise<{ redis: TestRedis; clusters: RunningCluster[] }> {
  const redisStart = lifetime.track(startRedis(config)).then((redis) => {
    lifetime.own(`Redis ${redis.url}`, () => redis.stop());
    return redis;
  });
  const planeStarts = scenario.clusters.map((cluster) =>
    lifetime.track(startControlPlane({ name: cluster.name, config })).then(async (plane) => {
      lifetime.own(`control plane ${cluster.name}`, () => plane.stop());
      const running = { cluster, plane, kubeConfig: plane.kubeConfigObject };
      // As a multi-network Istio install has it (register checks for it).
      await installEastWestGateway(running);
      return running;
    }),
  );
  const [redis, ...clusters] = await Promise.allSettled([redisStart, ...planeStarts]);
  const failure = [redis, ...clusters].find((result) => result.status === "rejected");
  if (failure !== undefined) throw failure.reason;
  return {
    redis: (redis as PromiseFulfilledResult<TestRedis>).value,
    clusters: clusters.map((result) => (result as PromiseFulfilledResult<RunningCluster>).value),
  };
}

/** `meridian cluster register` for every cluster (in parallel); returns the CLI's first line for each. */
export async function registerClusters(clusters: readonly RunningCluster[], home: RunningCluster): Promise<string[]> {
  return Promise.all(clusters.map((running) => register(running, home)));
}

async function register({ cluster, plane }: RunningCluster, home: RunningCluster): Promise<string> {
  const argv = ["cluster", "register", cluster.name, "--kubeconfig", plane.kubeconfig, "--region", cluster.region, "--zone", cluster.zone, "--gateway-address", cluster.gateway, "--home-kubeconfig", home.plane.kubeconfig];
  const run = await meridian(...argv);
  if (run.code !== 0) throw new DemoError(`meridian ${argv.join(" ")} failed (exit ${run.code}):\n${run.stderr}`);
  return run.stdout.split("\n")[0] ?? "";
}

/** `meridian cluster list` against the home cluster: the CLI's own table. */
export async function clusterList(home: RunningCluster): Promise<string> {
  const run = await meridian("cluster", "list", "--home-kubeconfig", home.plane.kubeconfig);
  return run.code === 0 ? run.stdout : `meridian cluster list failed (exit ${run.code}): ${run.stderr}`;
}
