// `meridian explain`'s answer for people: sentences first, then tables (endpoints, workloads left
// out, failover order, drills, the live objects in the cluster). Pure.
import type { GeneratedObject } from "../../crds/istio.js";
import { compareLive, describeChange, ENV_LABEL, IDENTITY_LABEL } from "../core/index.js";
import type { Explanation, HostExplanation, LiveDiff, LiveObject } from "../core/index.js";
import { renderTable } from "./output.js";

/** The live state of one host's generated objects in the cluster asked about. */
export interface HostLiveState {
  readonly host: string;
  /** `in sync`, `drifted`, `missing`, `conflict` or `extra`, with the fields or why. */
  readonly objects: readonly { kind: string; name: string; state: string; detail: string }[];
}

/** Compares the host's desired objects in the cluster with the live ones under its names or its labels. */
export function hostLiveState(host: HostExplanation, identity: string, desired: readonly GeneratedObject[], live: readonly LiveObject[]): HostLiveState {
  const names = new Set([`ServiceEntry/${host.serviceEntry}`, `DestinationRule/${host.destinationRule}`]);
  const mine = desired.filter((o) => names.has(`${o.kind}/${o.metadata.name}`));
  const labelled = (o: LiveObject): boolean => o.metadata.labels?.[IDENTITY_LABEL] === identity && o.metadata.labels[ENV_LABEL] === host.env;
  const found = live.filter((o) => names.has(`${o.kind}/${o.metadata.name}`) || labelled(o));
  return { host: host.host, objects: statesOf(compareLive(mine, found)) };
}

function statesOf(diff: LiveDiff): HostLiveState["objects"] {
  return [
    ...diff.inSync.map((o) => ({ ...o, state: "in sync", detail: "" })),
    ...diff.missing.map((o) => ({ ...o, state: "missing", detail: "desired, not in the cluster (the controller writes it on its next reconcile)" })),
    ...diff.drifted.map((o) => ({ ...o, state: "drifted", detail: o.fields.map(describeChange).join("; ") })),
    ...diff.conflicts.map((o) => ({ ...o, state: "conflict", detail: "the name is taken by an object Meridian does not own" })),
    ...diff.extra.map((o) => ({ ...o, state: "extra", detail: "Meridian's label, no longer desired (the controller deletes it)" })),
  ];
}

export function renderExplanation(explanation: Explanation, live: readonly HostLiveState[] | undefined): string {
  const where = explanation.locality === undefined ? explanation.from : `${explanation.from} (${explanation.locality})`;
  const head = [`Identity ${explanation.identity}, seen from ${where}.`, ...explanation.notes].join("\n");
  const hosts = explanation.hosts.map((h) => renderHost(h, explanation, live?.find((l) => l.host === h.host)));
  const problems = explanation.problems.length === 0 ? "" : `\nProblems:\n${explanation.problems.map((p) => `  ${p.code}: ${p.message}`).join("\n")}\n`;
  return `${[head, ...hosts].join("\n\n")}\n${problems}`;
}

function renderHost(h: HostExplanation, e: Explanation, live: HostLiveState | undefined): string {
  const parts = [h.because.join("\n")];
  if (h.visibility !== undefined) parts.push(visibilityLine(h, e));
  if (h.endpoints.length > 0) parts.push(`Endpoints, as ${e.from} sees them:\n${renderTable(["CLUSTER", "ADDRESS", "PORTS", "LOCALITY", "READY"], h.endpoints.map((ep) => [ep.cluster, ep.address, portsText(ep.ports), ep.locality, String(ep.ready)]))}`.trimEnd());
  const leftOut = h.workloads.filter((w) => w.leftOut !== undefined);
  if (leftOut.length > 0) parts.push(`Workloads left out:\n${renderTable(["CLUSTER", "SERVICE", "READY", "WHY"], leftOut.map((w) => [w.cluster, `${w.namespace}/${w.service}`, String(w.ready), w.leftOut ?? ""]))}`.trimEnd());
  if (h.placed) parts.push(failoverText(h, e));
  if (h.drills.length > 0) parts.push(`Drills in effect:\n${h.drills.map((d) => `  ${d.drill.kind} ${d.drill.namespace ?? ""}/${d.drill.name} (${d.target}): ${d.removed.length === 0 ? "takes nothing out of this host" : `takes out ${d.removed.join(", ")}`}`).join("\n")}`);
  if (live !== undefined) parts.push(liveText(live, e.from));
  return parts.join("\n\n");
}

function visibilityLine(h: HostExplanation, e: Explanation): string {
  const v = h.visibility;
  if (v === undefined) return "";
  const scope = v.exportTo === undefined ? "exported to every namespace" : `exportTo ${v.exportTo.join(", ")}`;
  return v.visible ? `Namespace ${v.namespace} in ${e.from} sees it (${scope}).` : `Namespace ${v.namespace} in ${e.from} does NOT see it (${scope}): declare a ServiceDependency whose source runs there.`;
}

function failoverText(h: HostExplanation, e: Explanation): string {
  const policy = h.failover.policy === undefined ? "no TrafficPolicy: the default, Topology" : `TrafficPolicy ${h.failover.policy.namespace ?? ""}/${h.failover.policy.name}, mode ${h.failover.mode}`;
  const steps = h.failover.order.map((step, i) => `  ${i + 1}. ${step}`).join("\n");
  return `Failover order for a client in ${e.locality ?? e.from} (${policy}):\n${steps || "  (no endpoint)"}`;
}

function liveText(live: HostLiveState, cluster: string): string {
  if (live.objects.length === 0) return `Live in ${cluster}: nothing (as desired).`;
  return `Live in ${cluster}:\n${renderTable(["KIND", "NAME", "STATE", "DETAIL"], live.objects.map((o) => [o.kind, o.name, o.state, o.detail]))}`.trimEnd();
}

const portsText = (ports: Readonly<Record<string, number>>): string => Object.entries(ports).map(([name, port]) => `${name}:${port}`).join(",");
