// What istiod would tell an Envoy: the xds-probe program (e2e/go/pilot-discovery/xds-probe)
// connects to an istiod's plaintext xDS port as a given proxy and prints its clusters with their
// endpoints and, for a gateway, its listeners. Built or found by the harness.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
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

/** One push as the watching probe printed it: when it arrived (Unix ms) and the clusters after it. */
export interface ProbeLine {
  atMs: number;
  clusters: ProbeCluster[];
}

/** A probe that stays connected (`xds-probe --watch`): the sidecar's view as istiod pushes it. */
export interface XdsWatch {
  /** The view after the last push, undefined before the first. */
  latest(): ProbeLine | undefined;
  /** The first view, the current one included, that satisfies `ready`. */
  waitFor(ready: (clusters: readonly ProbeCluster[]) => boolean, timeoutMs: number, what: string): Promise<ProbeLine>;
  stop(): Promise<void>;
}

interface Waiter {
  ready: (clusters: readonly ProbeCluster[]) => boolean;
  resolve: (line: ProbeLine) => void;
  reject: (err: Error) => void;
}

/** Starts a watching probe; the first push (istiod's full answer) has arrived when it resolves. */
export async function watchXds(request: ProbeRequest, firstPushTimeoutMs = 30_000): Promise<XdsWatch> {
  const binary = await ensureIstioProgram("xds-probe");
  const child = spawn(binary, [...probeArgs(request), "--watch"], { stdio: ["ignore", "pipe", "pipe"] });
  let last: ProbeLine | undefined;
  let stderr = "";
  let ended: Error | undefined;
  const waiters = new Set<Waiter>();
  const settle = (line: ProbeLine): void => {
    for (const waiter of waiters) {
      if (!waiter.ready(line.clusters)) continue;
      waiters.delete(waiter);
      waiter.resolve(line);
    }
  };
  createInterface({ input: child.stdout }).on("line", (text) => {
    last = JSON.parse(text) as ProbeLine;
    settle(last);
  });
  child.stderr.on("data", (chunk: Buffer) => void (stderr = `${stderr}${chunk.toString()}`.slice(-4_000)));
  child.on("exit", (code, signal) => {
    ended = new Error(`xds-probe --watch ended (${signal ?? `exit ${code}`}): ${stderr.trim()}`);
    for (const waiter of waiters) waiter.reject(ended);
    waiters.clear();
  });
  const waitFor = (ready: Waiter["ready"], timeoutMs: number, what: string): Promise<ProbeLine> => {
    if (last !== undefined && ready(last.clusters)) return Promise.resolve(last);
    if (ended !== undefined) return Promise.reject(ended);
    return new Promise<ProbeLine>((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(new Error(`${what}: not in the sidecar's config within ${timeoutMs} ms; last push: ${JSON.stringify(last)?.slice(0, 2_000)}`));
      }, timeoutMs);
      const waiter: Waiter = { ready, resolve: (line) => (clearTimeout(timer), resolve(line)), reject: (err) => (clearTimeout(timer), reject(err)) };
      waiters.add(waiter);
    });
  };
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  };
  try {
    await waitFor(() => true, firstPushTimeoutMs, "istiod's first push");
  } catch (err) {
    await stop();
    throw err;
  }
  return { latest: () => last, waitFor, stop };
}
