// The ports of a host's ServiceEntry: the union of its Services' ports. A name used with two
// numbers, or a number used under two names, is a PortConflict; the first in sorted order wins.
import type { ServiceEntryPort } from "../../crds/istio.js";
import type { Problem, Workload, WorkloadPort } from "./model.js";
import { problem } from "./problems.js";
import { protocolOfPortName } from "./protocol.js";

export interface HostPorts {
  /** Sorted by number, then name. */
  readonly ports: readonly ServiceEntryPort[];
  readonly names: ReadonlySet<string>;
  readonly problems: readonly Problem[];
}

interface Claim {
  readonly port: WorkloadPort;
  readonly by: Workload;
}

/** `workloads` in sorted order. */
export function hostPorts(workloads: readonly Workload[]): HostPorts {
  const byName = new Map<string, Claim>();
  const byNumber = new Map<number, Claim>();
  const problems: Problem[] = [];
  for (const w of workloads) {
    for (const port of [...w.ports].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.port - b.port))) {
      const clash = byName.get(port.name) ?? byNumber.get(port.port);
      if (clash === undefined) {
        const claim = { port, by: w };
        byName.set(port.name, claim);
        byNumber.set(port.port, claim);
      } else if (clash.port.name !== port.name || clash.port.port !== port.port) {
        problems.push(conflict(w, port, clash));
      }
    }
  }
  const ports = [...byName.values()]
    .map(({ port }) => ({ number: port.port, protocol: protocolOfPortName(port.name), name: port.name }))
    .sort((a, b) => a.number - b.number || (a.name < b.name ? -1 : 1));
  return { ports, names: new Set(byName.keys()), problems };
}

function conflict(w: Workload, port: WorkloadPort, clash: Claim): Problem {
  const here = `Service ${w.namespace}/${w.service} in cluster ${w.cluster}`;
  const there = `Service ${clash.by.namespace}/${clash.by.service} in cluster ${clash.by.cluster}`;
  const what = clash.port.name === port.name
    ? `port ${port.name} is ${port.port} here but ${clash.port.port} in ${there}; the ServiceEntry uses ${clash.port.port} and this Service is still reached on ${port.port}`
    : `port number ${port.port} is named ${port.name} here but ${clash.port.name} in ${there}; the ServiceEntry keeps ${clash.port.name} and leaves ${port.name} out (a Service left with no port gives no endpoint)`;
  return problem("PortConflict", { kind: "Service", namespace: w.namespace, name: w.service },
    `${here} (identity ${w.identity}, env ${w.env}), field ports: ${what}`);
}
