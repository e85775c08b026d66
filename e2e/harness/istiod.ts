// A real istiod (Istio's pilot-discovery) for one member control plane, on loopback ports: it
// reads the member's API server through its kubeconfig like an in-cluster istiod reads its own,
// with a mesh config and meshNetworks as a multi-network install has them. No webhooks, no CA,
// no TLS: tests talk to it over its plaintext xDS port (see e2e/go/pilot-discovery/xds-probe).
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KubernetesObjectApi, type KubeConfig } from "@kubernetes/client-node";
import { stringify } from "yaml";
import { freePorts } from "./free-port.js";
import { readHarnessConfig, type HarnessConfig } from "./harness-config.js";
import { harnessLog } from "./harness-log.js";
import { createIfAbsent } from "./install-crds.js";
import { ensureIstioProgram } from "./istio-binaries.js";
import { startProcess, type ManagedProcess } from "./managed-process.js";
import { waitUntil } from "./wait-until.js";

export const ISTIO_NAMESPACE = "istio-system";

/** One network of meshNetworks: the clusters (registries) in it and its east-west gateways. */
export interface MeshNetwork {
  name: string;
  clusterIds: readonly string[];
  gateways: readonly { address: string; port: number }[];
}

export interface IstiodOptions {
  /** The member this istiod runs in: its kubeconfig file and client. */
  kubeconfig: string;
  kubeConfigObject: KubeConfig;
  /** istiod's cluster ID (`--clusterID`), as the member's istiod would have it. */
  clusterId: string;
  /** Every network of the mesh, the member's own among them. */
  networks: readonly MeshNetwork[];
  timeoutMs?: number;
  config?: HarnessConfig;
}

export interface Istiod {
  readonly clusterId: string;
  /** `127.0.0.1:<port>`: plaintext gRPC xDS. */
  readonly xdsAddress: string;
  /** `http://127.0.0.1:<port>`: /ready and /debug. */
  readonly httpUrl: string;
  readonly process: ManagedProcess;
  logTail(lines: number): string;
  stop(): Promise<void>;
}

/** meshNetworks as istiod reads it from --networksConfig. */
export function meshNetworksDocument(networks: readonly MeshNetwork[]): Record<string, unknown> {
  return {
    networks: Object.fromEntries(
      networks.map((n) => [n.name, { endpoints: n.clusterIds.map((fromRegistry) => ({ fromRegistry })), gateways: n.gateways.map(({ address, port }) => ({ address, port })) }]),
    ),
  };
}

/** The mesh config: defaults, plus the trust domain and a mesh ID as an install sets them. */
export function meshConfigDocument(): Record<string, unknown> {
  return { trustDomain: "cluster.local", defaultConfig: { meshId: "meridian-e2e", discoveryAddress: `istiod.${ISTIO_NAMESPACE}.svc:15012` } };
}

export function istiodArgs(options: IstiodOptions, dir: string, ports: { http: number; grpc: number; monitoring: number }): string[] {
  return [
    "discovery",
    `--kubeconfig=${options.kubeconfig}`,
    `--meshConfig=${join(dir, "mesh.yaml")}`,
    `--networksConfig=${join(dir, "mesh-networks.yaml")}`,
    `--clusterID=${options.clusterId}`,
    `--namespace=${ISTIO_NAMESPACE}`,
    "--domain=cluster.local",
    `--httpAddr=127.0.0.1:${ports.http}`,
    `--grpcAddr=127.0.0.1:${ports.grpc}`,
    `--monitoringAddr=127.0.0.1:${ports.monitoring}`,
    // No TLS servers: no webhook server (15017) and no secure xDS (15012).
    "--httpsAddr=",
    "--secureGRPCAddr=",
    "--log_output_level=default:info",
  ];
}

/**
 * istiod's environment: no CA (ENABLE_CA_SERVER), no webhooks to patch, no cluster-local istiod
 * Service to find. Debounce is istiod's default (PILOT_DEBOUNCE_AFTER 100ms, MAX 10s), as a
 * production install runs it.
 */
function istiodEnv(config: HarnessConfig): Record<string, string | undefined> {
  return {
    ...config.goEnv,
    POD_NAMESPACE: ISTIO_NAMESPACE,
    POD_NAME: "istiod-e2e",
    REVISION: "default",
    ENABLE_CA_SERVER: "false",
    INJECTION_WEBHOOK_CONFIG_NAME: "",
    VALIDATION_WEBHOOK_CONFIG_NAME: "",
    PILOT_ENABLE_ANALYSIS: "false",
    PILOT_ENABLE_STATUS: "false",
    KUBECONFIG: undefined,
  };
}

function httpStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { timeout: 2_000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("timeout", () => req.destroy(new Error(`GET ${url} timed out`)));
    req.on("error", reject);
    req.end();
  });
}

async function prepareDir(options: IstiodOptions): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `meridian-istiod-${options.clusterId}-`));
  await writeFile(join(dir, "mesh.yaml"), stringify(meshConfigDocument()));
  await writeFile(join(dir, "mesh-networks.yaml"), stringify(meshNetworksDocument(options.networks)));
  const objects = KubernetesObjectApi.makeApiClient(options.kubeConfigObject);
  await createIfAbsent(objects, { apiVersion: "v1", kind: "Namespace", metadata: { name: ISTIO_NAMESPACE } });
  return dir;
}

/** Starts istiod against the member and resolves once its /ready answers 200. */
export async function startIstiod(options: IstiodOptions): Promise<Istiod> {
  const config = options.config ?? readHarnessConfig();
  const binary = await ensureIstioProgram("pilot-discovery", config);
  const dir = await prepareDir(options);
  const [http = 0, grpc = 0, monitoring = 0] = await freePorts(3);
  const started = Date.now();
  const process = startProcess({ name: "istiod", command: binary, args: istiodArgs(options, dir, { http, grpc, monitoring }), logFile: join(dir, "istiod.log"), env: istiodEnv(config) });
  const stop = async (): Promise<void> => {
    await process.stop();
    await rm(dir, { recursive: true, force: true });
  };
  const httpUrl = `http://127.0.0.1:${http}`;
  try {
    await waitUntil(async () => (await httpStatus(`${httpUrl}/ready`)) === 200, {
      what: `istiod /ready at ${httpUrl}`,
      timeoutMs: options.timeoutMs ?? 120_000,
      intervalMs: 250,
      failIf: () => (process.exited() ? `istiod exited:\n${process.logTail(40)}` : undefined),
    });
  } catch (err) {
    const tail = process.logTail(40);
    await stop();
    throw new Error(`istiod for ${options.clusterId} did not become ready: ${(err as Error).message}\n${tail}`, { cause: err });
  }
  harnessLog.info({ clusterId: options.clusterId, xds: `127.0.0.1:${grpc}`, durationMs: Date.now() - started }, "Started istiod");
  return { clusterId: options.clusterId, xdsAddress: `127.0.0.1:${grpc}`, httpUrl, process, logTail: (lines) => process.logTail(lines), stop };
}
