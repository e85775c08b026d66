// A real Kubernetes control plane (etcd + kube-apiserver) as local processes, with Meridian's
// and Istio's CRDs installed and the namespaces the tests use.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CoreV1Api, KubernetesObjectApi, type KubeConfig } from "@kubernetes/client-node";
import { writeCredentials } from "./credentials.js";
import { ensureBinaries } from "./ensure-binaries.js";
import { startEtcd, startEtcdOn, type EtcdServer } from "./etcd-server.js";
import { readHarnessConfig, type HarnessConfig } from "./harness-config.js";
import { harnessLog } from "./harness-log.js";
import { createIfAbsent, installCrds, meridianCrdFiles, readCrds } from "./install-crds.js";
import { istioCrdsPath } from "./istio-crds.js";
import { startKubeApiserver, type KubeApiserverInput } from "./kube-apiserver.js";
import { writeKubeconfig } from "./kubeconfig.js";
import { tailFiles } from "./log-tail.js";
import type { ManagedProcess } from "./managed-process.js";

/** Namespaces every control plane gets. */
export const TEST_NAMESPACES: readonly string[] = ["meridian-system", "meridian-sync"];

export interface ControlPlaneOptions {
  /** Lower-case letters, digits and dashes; also names the kubeconfig cluster and admin user. */
  name: string;
  /** Use this etcd (with a key prefix of this control plane's own) instead of starting one. */
  sharedEtcd?: EtcdServer;
  /** kube-apiserver's `--service-cluster-ip-range` (default `10.96.0.0/24`, about 250 Services); e.g. `10.96.0.0/16` for thousands. */
  serviceClusterIpRange?: string;
  /** kube-apiserver's API Priority and Fairness (default off), for a test that throttles with a FlowSchema. */
  priorityAndFairness?: boolean;
  timeoutMs?: number;
  config?: HarnessConfig;
}

export interface ControlPlane {
  readonly name: string;
  /** Path of a kubeconfig file for the admin user (group system:masters). */
  readonly kubeconfig: string;
  readonly kubeConfigObject: KubeConfig;
  readonly adminToken: string;
  /** `https://127.0.0.1:<port>` */
  readonly server: string;
  /** The processes this control plane started (a shared etcd is not among them). */
  readonly processes: readonly ManagedProcess[];
  readonly logFiles: readonly string[];
  logTail(lines: number): string;
  rssKb(): number;
  /** Stops kube-apiserver only: etcd and its data stay, so restartApiServer() brings the same cluster back. */
  stopApiServer(): Promise<void>;
  /**
   * Starts kube-apiserver again (stopping it first if it runs) on the same port, with the same etcd
   * data, serving certificate and keys: kubeconfigs and tokens issued before keep working. Resolves
   * once /readyz answers.
   */
  restartApiServer(): Promise<void>;
  /**
   * Stops this control plane's own etcd, waits `downMs`, and starts it again on the same ports with
   * the same data (kube-apiserver keeps running and reconnects). Not for a shared etcd.
   */
  restartEtcd(downMs?: number): Promise<void>;
  stop(): Promise<void>;
}

const NAME = /^[a-z0-9]([-a-z0-9]{0,40}[a-z0-9])?$/;

async function prepare(kubeConfig: KubeConfig, config: HarnessConfig, timeoutMs: number): Promise<void> {
  const crds = await readCrds([...(await meridianCrdFiles()), await istioCrdsPath(config)]);
  await installCrds(kubeConfig, crds, timeoutMs);
  const objects = KubernetesObjectApi.makeApiClient(kubeConfig);
  await Promise.all(TEST_NAMESPACES.map((name) => createIfAbsent(objects, { apiVersion: "v1", kind: "Namespace", metadata: { name } })));
  await kubeConfig.makeApiClient(CoreV1Api).listNamespace();
}

async function boot(options: ControlPlaneOptions, config: HarnessConfig, dir: string, processes: ManagedProcess[]): Promise<ControlPlane> {
  const started = Date.now();
  const timeoutMs = options.timeoutMs ?? 180_000;
  const binaries = await ensureBinaries(config);
  const credentials = await writeCredentials(options.name, dir);
  const etcd = options.sharedEtcd ?? (await startEtcd(binaries.etcd, dir, timeoutMs));
  if (options.sharedEtcd === undefined) processes.push(etcd.process);
  const apiserverInput: KubeApiserverInput = { binary: binaries.kubeApiserver, dir, etcdUrl: etcd.url, etcdPrefix: `/meridian/${options.name}`, credentials, serviceClusterIpRange: options.serviceClusterIpRange, priorityAndFairness: options.priorityAndFairness };
  const apiserver = await startKubeApiserver(apiserverInput, timeoutMs, (process) => processes.push(process));
  const restartable = { ...apiserverInput, port: Number(new URL(apiserver.server).port) };
  harnessLog.info({ controlPlane: options.name, server: apiserver.server, durationMs: Date.now() - started }, "Started kube-apiserver");
  const kubeconfig = join(dir, "kubeconfig");
  const kubeConfigObject = await writeKubeconfig(kubeconfig, {
    name: options.name,
    server: apiserver.server,
    caPem: apiserver.caPem,
    user: credentials.adminUser,
    token: credentials.adminToken,
  });
  await prepare(kubeConfigObject, config, timeoutMs);
  const logFiles = processes.map((process) => process.logFile);
  return {
    name: options.name,
    kubeconfig,
    kubeConfigObject,
    adminToken: credentials.adminToken,
    server: apiserver.server,
    processes,
    logFiles,
    logTail: (lines) => tailFiles(logFiles, lines),
    rssKb: () => processes.reduce((sum, process) => sum + process.rssKb(), 0),
    stopApiServer: () => apiserverProcess(processes).stop(),
    restartApiServer: () => restartApiServer(restartable, processes, timeoutMs),
    restartEtcd: (downMs = 0) => restartEtcd({ binary: binaries.etcd, dir, etcd, shared: options.sharedEtcd !== undefined }, processes, downMs, timeoutMs),
    stop: () => stopAll(processes, dir),
  };
}

function apiserverProcess(processes: readonly ManagedProcess[]): ManagedProcess {
  const process = processes.find((p) => p.name === "kube-apiserver");
  if (process === undefined) throw new Error("This control plane has no kube-apiserver process.");
  return process;
}

/** The new process takes the old one's place in `processes`, so stop() and logTail() still see it. */
async function restartApiServer(input: KubeApiserverInput, processes: ManagedProcess[], timeoutMs: number): Promise<void> {
  const old = apiserverProcess(processes);
  await old.stop();
  const started = Date.now();
  await startKubeApiserver(input, timeoutMs, (process) => processes.splice(processes.indexOf(old), 1, process));
  harnessLog.info({ server: `https://127.0.0.1:${input.port ?? 0}`, durationMs: Date.now() - started }, "Restarted kube-apiserver");
}

async function restartEtcd(own: { binary: string; dir: string; etcd: EtcdServer; shared: boolean }, processes: ManagedProcess[], downMs: number, timeoutMs: number): Promise<void> {
  const old = processes.find((p) => p.name === "etcd");
  if (own.shared || old === undefined) throw new Error("This control plane shares its etcd: restarting it would affect the others.");
  await old.stop();
  await new Promise((resolve) => setTimeout(resolve, downMs));
  const started = await startEtcdOn(own.binary, own.dir, own.etcd, timeoutMs);
  processes.splice(processes.indexOf(old), 1, started.process);
  harnessLog.info({ etcd: own.etcd.url, downMs }, "Restarted etcd");
}

async function stopAll(processes: readonly ManagedProcess[], dir: string): Promise<void> {
  // The API server first, so it does not log etcd's disappearance.
  for (const process of [...processes].reverse()) await process.stop();
  await rm(dir, { recursive: true, force: true });
}

export async function startControlPlane(options: ControlPlaneOptions): Promise<ControlPlane> {
  if (!NAME.test(options.name)) throw new Error(`Control plane name ${JSON.stringify(options.name)} must match ${String(NAME)}.`);
  const config = options.config ?? readHarnessConfig();
  const started = Date.now();
  const dir = await mkdtemp(join(tmpdir(), `meridian-cp-${options.name}-`));
  const processes: ManagedProcess[] = [];
  try {
    const controlPlane = await boot(options, config, dir, processes);
    harnessLog.info({ controlPlane: options.name, server: controlPlane.server, durationMs: Date.now() - started }, "Started control plane");
    return controlPlane;
  } catch (err) {
    const tail = tailFiles(processes.map((process) => process.logFile), 40);
    await stopAll(processes, dir);
    throw new Error(`Control plane ${options.name} did not start: ${(err as Error).message}\n${tail}`, { cause: err });
  }
}
