// What the demo builds, as plain data: three clusters in two regions, three identities calling each
// other (web → checkout → payments), one TrafficPolicy; and, from the planner's placement rule, which
// ServiceEntries and DestinationRules the controller must write where (controller/core/README.md).
import { destinationRuleName, globalHost, serviceEntryName } from "../../controller/core/index.js";

export interface DemoCluster {
  readonly name: string;
  readonly region: string;
  readonly zone: string;
  /** East-west gateway address, from 192.0.2.0/24 (TEST-NET-1, documentation only). */
  readonly gateway: string;
  /** Pod addresses of this cluster's workloads: `<podPrefix>.<n>`. */
  readonly podPrefix: string;
}

export interface DemoIdentity {
  readonly identity: string;
  readonly runsIn: readonly string[];
  readonly calls: readonly string[];
  /** A TrafficPolicy spec without `identity` (Topology, the default, when absent). */
  readonly policy?: { readonly mode: "Failover"; readonly regions: readonly string[] };
}

export interface Scenario {
  readonly clusters: readonly DemoCluster[];
  /** The home cluster (MeshClusters, Secrets, ServiceDependencies): also a member, as in small meshes. */
  readonly home: string;
  readonly namespace: string;
  readonly identities: readonly DemoIdentity[];
}

export const SCENARIO: Scenario = {
  clusters: [
    { name: "us-east-1a", region: "us-east-1", zone: "us-east-1a", gateway: "192.0.2.10", podPrefix: "10.10.0" },
    { name: "us-east-1b", region: "us-east-1", zone: "us-east-1b", gateway: "192.0.2.20", podPrefix: "10.20.0" },
    { name: "eu-west-1a", region: "eu-west-1", zone: "eu-west-1a", gateway: "192.0.2.30", podPrefix: "10.30.0" },
  ],
  home: "us-east-1a",
  namespace: "shop",
  identities: [
    { identity: "web", runsIn: ["us-east-1a", "eu-west-1a"], calls: ["checkout"] },
    { identity: "checkout", runsIn: ["us-east-1a", "eu-west-1a"], calls: ["payments"] },
    // payments' primary database is in us-east-1: prefer that region everywhere, fail over to eu-west-1.
    { identity: "payments", runsIn: ["us-east-1b", "eu-west-1a"], calls: [], policy: { mode: "Failover", regions: ["us-east-1"] } },
  ],
};

/** The environment of every demo workload (none is declared) and the global host suffix: the controller's defaults. */
export const DEMO_ENV = "default";
export const HOST_SUFFIX = "global";
export const SYNC_NAMESPACE = "meridian-sync";

/** One identity's objects in one cluster, as the controller must write them. */
export interface ExpectedHost {
  readonly identity: string;
  readonly host: string;
  readonly serviceEntry: string;
  readonly destinationRule: string;
  /** One endpoint per cluster running the identity: local address there, gateway elsewhere. */
  readonly endpoints: number;
  /** `Failover` writes failoverPriority; `Topology` writes failover. */
  readonly mode: "Failover" | "Topology";
}

/** Placement: a host goes where its identity runs and where any identity calling it runs. */
export function placedIn(scenario: Scenario, identity: DemoIdentity): string[] {
  const callers = scenario.identities.filter((other) => other.calls.includes(identity.identity));
  const clusters = new Set([...identity.runsIn, ...callers.flatMap((caller) => caller.runsIn)]);
  return scenario.clusters.map((cluster) => cluster.name).filter((name) => clusters.has(name));
}

/** cluster → the hosts expected there, in the scenario's identity order. */
export function expectedHosts(scenario: Scenario): Map<string, ExpectedHost[]> {
  const expected = new Map<string, ExpectedHost[]>(scenario.clusters.map((cluster) => [cluster.name, []]));
  for (const identity of scenario.identities) {
    const host = globalHost(identity.identity, DEMO_ENV, HOST_SUFFIX);
    const entry: ExpectedHost = {
      identity: identity.identity,
      host,
      serviceEntry: serviceEntryName(host),
      destinationRule: destinationRuleName(host),
      endpoints: identity.runsIn.length,
      mode: identity.policy?.mode ?? "Topology",
    };
    for (const cluster of placedIn(scenario, identity)) expected.get(cluster)?.push(entry);
  }
  return expected;
}

export function clusterNamed(scenario: Scenario, name: string): DemoCluster {
  const cluster = scenario.clusters.find((candidate) => candidate.name === name);
  if (cluster === undefined) throw new Error(`The demo scenario has no cluster ${name}`);
  return cluster;
}
