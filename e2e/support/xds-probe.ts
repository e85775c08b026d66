// What istiod would tell an Envoy: the xds-probe program (e2e/go/pilot-discovery/xds-probe)
// connects to an istiod's plaintext xDS port as a given proxy and prints its clusters with their
// endpoints and, for a gateway, its listeners. Built or found by the harness.
import { ensureIstioProgram } from "../harness/istio-binaries.js";
import { runCommand } from "../harness/run-command.js";

export interface ProbeProxy {
  /** `sidecar` for a workload's sidecar, `router` for a gateway. */
  type: "sidecar" | "router";
  ip: string;
  pod: string;
  namespace: string;
  clusterId: string;
  network: string;
  region: string;
  zone?: string;
  labels?: Readonly<Record<string, string>>;
}

export interface ProbeEndpoint {
  address: string;
  port: number;
  locality: { region: string; zone: string; subZone: string };
  priority: number;
  localityWeight: number;
  weight: number;
}

export interface ProbeCluster {
  name: string;
  /** Envoy's discovery type: `EDS`, `STRICT_DNS`, `ORIGINAL_DST`, … */
  type: string;
  endpoints: ProbeEndpoint[];
}

export interface ProbeListener {
  name: string;
  port: number;
  filterChains: { serverNames: string[]; tcpCluster?: string }[];
}

export interface ProbeResult {
  node: string;
  clusters: ProbeCluster[];
  listeners?: ProbeListener[];
}

export interface ProbeRequest {
  /** istiod's plaintext xDS address, `127.0.0.1:<port>`. */
  xdsAddress: string;
  proxy: ProbeProxy;
  /** Only clusters whose name contains this. */
  clusterFilter?: string;
  listeners?: boolean;
}

export function probeArgs(request: ProbeRequest): string[] {
  const { proxy } = request;
  const args = [
    `--addr=${request.xdsAddress}`,
    `--type=${proxy.type}`,
    `--ip=${proxy.ip}`,
    `--pod=${proxy.pod}`,
    `--namespace=${proxy.namespace}`,
    `--cluster-id=${proxy.clusterId}`,
    `--network=${proxy.network}`,
    `--region=${proxy.region}`,
    `--zone=${proxy.zone ?? ""}`,
    `--labels=${JSON.stringify(proxy.labels ?? {})}`,
    `--clusters=${request.clusterFilter ?? ""}`,
  ];
  if (request.listeners === true) args.push("--listeners");
  return args;
}

/** Asks istiod once, as the proxy, and returns what it served. */
export async function probeXds(request: ProbeRequest): Promise<ProbeResult> {
  const binary = await ensureIstioProgram("xds-probe");
  const { stdout } = await runCommand(binary, probeArgs(request));
  return JSON.parse(stdout) as ProbeResult;
}

/** The named cluster, e.g. `outbound|80||prod.payments.global`, or undefined when istiod served none. */
export function clusterNamed(result: ProbeResult, name: string): ProbeCluster | undefined {
  return result.clusters.find((cluster) => cluster.name === name);
}

/** `address:port@priority` per endpoint, sorted: compact enough to compare whole. */
export function endpointSummary(cluster: ProbeCluster | undefined): string[] {
  return (cluster?.endpoints ?? []).map((e) => `${e.address}:${e.port}@${e.priority}`).sort();
}
