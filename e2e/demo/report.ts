// What the demo prints: the scenario as a table, then per cluster the ServiceEntries (one row per
// endpoint) and DestinationRules (their locality load balancing in words) the controller wrote, and
// the YAML of every object in one file per cluster. Rendering is pure; only writeYamlFiles does I/O.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";

import { stringify } from "yaml";

import { renderTable } from "../../controller/cli/output.js";
import type { DestinationRule, ServiceEntry, ServiceEntryEndpoint } from "../../crds/istio.js";
import { modeOf, type ClusterObjects } from "./convergence.js";
import type { DemoIdentity, Scenario } from "./scenario.js";

const INDENT = "    ";

/** Every line of `text` indented by four spaces, trailing newline dropped. */
export function indent(text: string): string {
  return text
    .trimEnd()
    .split("\n")
    .map((line) => `${INDENT}${line}`)
    .join("\n");
}

function policyText(identity: DemoIdentity): string {
  if (identity.policy === undefined) return "none (Topology: stay local, fail over to the next region)";
  return `${identity.policy.mode}: ${identity.policy.regions.join(", ")} first`;
}

/** IDENTITY, where it runs, whom it calls and its TrafficPolicy. */
export function renderScenario(scenario: Scenario): string {
  const rows = scenario.identities.map((identity) => [identity.identity, identity.runsIn.join(", "), identity.calls.join(", ") || "-", policyText(identity)]);
  return indent(renderTable(["IDENTITY", "RUNS IN", "CALLS", "TRAFFICPOLICY"], rows));
}

function endpointAddress(endpoint: ServiceEntryEndpoint): string {
  const ports = Object.values(endpoint.ports ?? {});
  return ports.length === 1 ? `${endpoint.address}:${ports[0] ?? ""}` : `${endpoint.address} (${Object.entries(endpoint.ports ?? {}).map(([name, port]) => `${name} ${port}`).join(", ")})`;
}

function serviceEntryRows(entry: ServiceEntry): string[][] {
  const endpoints = entry.spec.endpoints ?? [];
  if (endpoints.length === 0) return [[entry.metadata.name, entry.spec.hosts.join(","), "(none)", ""]];
  return endpoints.map((endpoint, i) => (i === 0 ? [entry.metadata.name, entry.spec.hosts.join(",")] : ["", ""]).concat([endpointAddress(endpoint), endpointLocality(endpoint)]));
}

/** The endpoint's locality, or for a Failover-mode endpoint (no locality) the region of its label. */
function endpointLocality(endpoint: { locality?: string; labels?: Readonly<Record<string, string>> }): string {
  return endpoint.locality ?? endpoint.labels?.["topology.kubernetes.io/region"] ?? "-";
}

type LocalityLb = DestinationRule["spec"]["trafficPolicy"]["loadBalancer"]["localityLbSetting"];

function failoverText(lb: LocalityLb): string {
  const regions = (lb.failoverPriority ?? []).map((entry) => entry.replace(/^topology\.kubernetes\.io\/region=/, "region "));
  return `Failover: prefer ${regions.join(", ")}, else any`;
}

function weightedText(lb: LocalityLb): string {
  const weights = (lb.distribute ?? []).flatMap((rule) => Object.entries(rule.to).map(([locality, weight]) => `${locality} ${weight}%`));
  return `Weighted: ${weights.join(", ")}`;
}

function topologyText(lb: LocalityLb): string {
  const failover = (lb.failover ?? []).map((step) => `${step.from} → ${step.to}`);
  return failover.length === 0 ? "Topology: local first (no other region)" : `Topology: local first, then ${failover.join(", ")}`;
}

/** Locality load balancing as seen from this cluster, in words. */
export function localityText(rule: DestinationRule): string {
  const lb: LocalityLb = rule.spec.trafficPolicy.loadBalancer.localityLbSetting;
  const mode = modeOf(rule);
  if (mode === "Failover") return failoverText(lb);
  return mode === "Weighted" ? weightedText(lb) : topologyText(lb);
}

function destinationRuleRows(rule: DestinationRule): string[] {
  return [rule.metadata.name, rule.spec.host, rule.spec.trafficPolicy?.tls?.mode ?? "", localityText(rule)];
}

export interface ClusterHeading {
  readonly name: string;
  readonly region: string;
  readonly zone: string;
  readonly gateway: string;
  readonly home: boolean;
  readonly runs: readonly string[];
}

/** One cluster: a heading line, its ServiceEntries and its DestinationRules. */
export function renderCluster(heading: ClusterHeading, objects: ClusterObjects): string {
  const role = heading.home ? ", home cluster" : "";
  const runs = heading.runs.length === 0 ? "no workloads" : `runs ${heading.runs.join(", ")}`;
  const lines = [`${heading.name}  (region ${heading.region}, zone ${heading.zone}, gateway ${heading.gateway}${role}; ${runs})`];
  const entries = objects.serviceEntries.flatMap(serviceEntryRows);
  const rules = objects.destinationRules.map(destinationRuleRows);
  lines.push(entries.length === 0 ? `${INDENT}no ServiceEntries` : indent(renderTable(["SERVICEENTRY", "HOST", "ENDPOINT", "LOCALITY"], entries)));
  lines.push("");
  lines.push(rules.length === 0 ? `${INDENT}no DestinationRules` : indent(renderTable(["DESTINATIONRULE", "HOST", "TLS", "LOCALITY LOAD BALANCING (from this cluster)"], rules)));
  return lines.join("\n");
}

/** The object as `kubectl get -o yaml` shows it, without managedFields. */
function forYaml(object: ServiceEntry | DestinationRule): unknown {
  const { managedFields: _managedFields, ...metadata } = object.metadata as typeof object.metadata & { managedFields?: unknown };
  return { ...object, metadata };
}

/** One YAML stream per cluster, `<dir>/<cluster>.yaml`; returns cluster → file. */
export async function writeYamlFiles(dir: string, clusters: readonly ClusterObjects[]): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const objects of clusters) {
    const file = join(dir, `${objects.cluster}.yaml`);
    const documents = [...objects.serviceEntries, ...objects.destinationRules].map((object) => stringify(forYaml(object), { lineWidth: 0, aliasDuplicateObjects: false }));
    await writeFile(file, documents.join("---\n"));
    files.set(objects.cluster, file);
  }
  return files;
}

/** CLUSTER, SERVICEENTRY, ENDPOINTS (address and locality): what each cluster routes to during the drill. */
export function renderRoutes(objects: readonly ClusterObjects[]): string {
  const rows = objects.flatMap((cluster) =>
    cluster.serviceEntries.map((entry) => [cluster.cluster, entry.metadata.name, (entry.spec.endpoints ?? []).map((e) => `${e.address} (${endpointLocality(e)})`).join(", ") || "(none)"]),
  );
  return renderTable(["CLUSTER", "SERVICEENTRY", "ENDPOINTS DURING THE DRILL"], rows);
}
