// The ports of a Workload, from its Service. Istio reads the protocol from the port name's prefix, so
// every port needs a name: Kubernetes allows an unnamed port only when it is the Service's only one,
// and that port is named `<protocol>-<port>`, the protocol coming from `appProtocol` when Istio knows
// it, else `tcp` (what Istio would do with an undeclared protocol once sniffing is off). UDP and SCTP
// ports are left out: a ServiceEntry port reached through a sidecar or the east-west gateway is TCP.

import { compareStrings } from "./compare.js";
import type { WorkloadPort } from "./graph-model.js";

/** The Service port fields read here (client-node's V1ServicePort fits). */
export interface ServicePortLike {
  name?: string;
  port: number;
  protocol?: string;
  appProtocol?: string;
  targetPort?: number | string;
}

const ISTIO_PROTOCOL_PREFIXES = new Set(["http", "http2", "https", "grpc", "grpc-web", "tcp", "tls", "mongo", "mysql", "redis"]);
const KUBERNETES_APP_PROTOCOLS: Readonly<Record<string, string>> = { "kubernetes.io/h2c": "http2", "kubernetes.io/ws": "http", "kubernetes.io/wss": "https" };

export interface ServicePorts {
  ports: WorkloadPort[];
  /** Set when no port is left: the Service cannot be federated. */
  problem?: string;
}

export function workloadPorts(ports: readonly ServicePortLike[] | undefined): ServicePorts {
  const tcp = (ports ?? []).filter((p) => (p.protocol ?? "TCP").toUpperCase() === "TCP");
  if (tcp.length === 0) {
    const problem = (ports ?? []).length === 0 ? "has no ports" : "has no TCP ports (UDP and SCTP are not federated)";
    return { ports: [], problem };
  }
  const result = tcp.map(toWorkloadPort);
  result.sort((a, b) => a.port - b.port || compareStrings(a.name, b.name));
  return { ports: result };
}

function toWorkloadPort(port: ServicePortLike): WorkloadPort {
  const name = port.name !== undefined && port.name !== "" ? port.name : `${protocolOf(port.appProtocol)}-${port.port}`;
  return typeof port.targetPort === "number" ? { name, port: port.port, targetPort: port.targetPort } : { name, port: port.port };
}

function protocolOf(appProtocol: string | undefined): string {
  const lower = (appProtocol ?? "").toLowerCase();
  const mapped = KUBERNETES_APP_PROTOCOLS[lower] ?? lower;
  return ISTIO_PROTOCOL_PREFIXES.has(mapped) ? mapped : "tcp";
}
