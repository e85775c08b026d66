// One kube-apiserver on a loopback port, serving with the self-signed certificate it makes itself.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { ControlPlaneCredentials } from "./credentials.js";
import { freePort } from "./free-port.js";
import { httpsGet } from "./https-get.js";
import { startProcess, type ManagedProcess } from "./managed-process.js";
import { waitUntil } from "./wait-until.js";

export interface KubeApiserverInput {
  binary: string;
  dir: string;
  etcdUrl: string;
  /** Keys live under this etcd prefix, so several API servers can share one etcd. */
  etcdPrefix: string;
  credentials: ControlPlaneCredentials;
  /** Listen on this port (to start a stopped API server again at the same address); a free one by default. */
  port?: number;
  /** `--service-cluster-ip-range`; the default /24 holds about 250 Services. */
  serviceClusterIpRange?: string;
  /** API Priority and Fairness on (off by default: lean for small machines); the fault suite throttles with it. */
  priorityAndFairness?: boolean;
}

export const DEFAULT_SERVICE_CLUSTER_IP_RANGE = "10.96.0.0/24";

export interface KubeApiserver {
  readonly server: string;
  /** The serving certificate and its self-signed CA, as kube-apiserver wrote them. */
  readonly caPem: string;
  readonly process: ManagedProcess;
}

export function kubeApiserverArgs(input: KubeApiserverInput, port: number): string[] {
  const { credentials } = input;
  return [
    "--bind-address=127.0.0.1",
    "--advertise-address=127.0.0.1",
    `--secure-port=${port}`,
    `--cert-dir=${join(input.dir, "certs")}`,
    `--etcd-servers=${input.etcdUrl}`,
    `--etcd-prefix=${input.etcdPrefix}`,
    "--authorization-mode=RBAC",
    `--token-auth-file=${credentials.tokenFile}`,
    "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
    `--service-account-key-file=${credentials.serviceAccountPublicKeyFile}`,
    `--service-account-signing-key-file=${credentials.serviceAccountPrivateKeyFile}`,
    `--service-cluster-ip-range=${input.serviceClusterIpRange ?? DEFAULT_SERVICE_CLUSTER_IP_RANGE}`,
    // The `kubernetes` Service cannot point at a loopback address; nothing here needs it.
    "--endpoint-reconciler-type=none",
    // Lean for small machines: no request fairness bookkeeping (unless asked for), no profiling endpoints.
    `--enable-priority-and-fairness=${input.priorityAndFairness === true}`,
    "--profiling=false",
    "--v=0",
  ];
}

async function isReady(server: string, certFile: string, token: string): Promise<boolean> {
  const caPem = await readFile(certFile, "utf8");
  const response = await httpsGet(`${server}/readyz`, { caPem, token });
  return response.status === 200;
}

/** `onStarted` hears of the process before readiness, so a caller can stop it if waiting fails. */
export async function startKubeApiserver(
  input: KubeApiserverInput,
  timeoutMs: number,
  onStarted: (process: ManagedProcess) => void,
): Promise<KubeApiserver> {
  const port = input.port ?? (await freePort());
  const server = `https://127.0.0.1:${port}`;
  const certFile = join(input.dir, "certs", "apiserver.crt");
  const process = startProcess({
    name: "kube-apiserver",
    command: input.binary,
    args: kubeApiserverArgs(input, port),
    logFile: join(input.dir, "kube-apiserver.log"),
  });
  onStarted(process);
  await waitUntil(() => isReady(server, certFile, input.credentials.adminToken), {
    what: `kube-apiserver /readyz at ${server}`,
    timeoutMs,
    intervalMs: 250,
    failIf: () => (process.exited() ? "kube-apiserver exited" : undefined),
  });
  return { server, caPem: await readFile(certFile, "utf8"), process };
}
