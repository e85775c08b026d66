// Reads a control plane's own /metrics: its request counters (`apiserver_request_total`), so a test can
// assert how many requests of a kind something made, or any other series (a benchmark reads the
// kube-apiserver's allocation from it).
import type { KubeConfig } from "@kubernetes/client-node";

import { httpsGet } from "../harness/https-get.js";
import type { ConnectedControlPlane } from "./clusters.js";
import { seriesSum } from "./prometheus-text.js";

export interface RequestFilter {
  /** As the API server counts it: GET, LIST, WATCH, APPLY, PATCH, POST, PUT, DELETE. */
  readonly verb: string;
  /** Plural resource, e.g. `serviceentries`. */
  readonly resource: string;
}

/** An API server's /metrics, read as its admin (`kubeConfig` gives the address and the CA). */
export interface MetricsSource {
  readonly kubeConfig: KubeConfig;
  readonly adminToken: string;
}

/** The sum of `name`'s series on the API server's /metrics whose line contains every one of `matches`. */
export async function apiServerMetric(source: MetricsSource, name: string, ...matches: readonly string[]): Promise<number> {
  const cluster = source.kubeConfig.getCurrentCluster();
  if (cluster?.caData === undefined) throw new Error(`The kubeconfig of ${cluster?.name ?? "the control plane"} has no certificate-authority-data`);
  const url = `${cluster.server.replace(/\/+$/, "")}/metrics`;
  const response = await httpsGet(url, { caPem: Buffer.from(cluster.caData, "base64").toString("utf8"), token: source.adminToken, timeoutMs: 10_000 });
  if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}`);
  return seriesSum(response.body, name, ...matches);
}

/** Requests served so far with this verb on this resource (every response code and scope). */
export function apiServerRequests(plane: ConnectedControlPlane, filter: RequestFilter): Promise<number> {
  return apiServerMetric({ kubeConfig: plane.kubeConfig, adminToken: plane.info.adminToken }, "apiserver_request_total", `verb="${filter.verb}"`, `resource="${filter.resource}"`);
}

/** The verbs of requests that change something, as the API server counts them. */
const WRITE_VERBS = new Set(["POST", "PUT", "PATCH", "APPLY", "DELETE", "DELETECOLLECTION"]);

/**
 * Write requests served so far, by `VERB resource[/subresource]` (every response code summed). Leases
 * are left out: the kube-apiserver renews its own identity Lease every 10 s through its loopback client.
 */
export function apiServerWrites(plane: ConnectedControlPlane): Promise<Map<string, number>> {
  return apiServerRequestCounts(plane, (verb) => WRITE_VERBS.has(verb));
}

export const isWriteVerb = (verb: string): boolean => WRITE_VERBS.has(verb);

/**
 * Requests served so far on resources (not on paths such as /metrics), by `VERB resource[/subresource]`,
 * for the verbs `include` accepts (every response code summed). Leases are left out (see above).
 */
export async function apiServerRequestCounts(plane: ConnectedControlPlane, include: (verb: string) => boolean): Promise<Map<string, number>> {
  const cluster = plane.kubeConfig.getCurrentCluster();
  if (cluster?.caData === undefined) throw new Error(`The kubeconfig of ${plane.info.name} has no certificate-authority-data`);
  const url = `${cluster.server.replace(/\/+$/, "")}/metrics`;
  const response = await httpsGet(url, { caPem: Buffer.from(cluster.caData, "base64").toString("utf8"), token: plane.info.adminToken, timeoutMs: 10_000 });
  if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}`);
  const counts = new Map<string, number>();
  for (const line of response.body.split("\n").filter((l) => l.startsWith("apiserver_request_total{"))) {
    const label = (name: string): string => new RegExp(`[{,]${name}="([^"]*)"`).exec(line)?.[1] ?? "";
    const [verb, resource] = [label("verb"), label("resource")];
    if (!include(verb) || resource === "" || resource === "leases") continue;
    const subresource = label("subresource");
    const key = `${verb} ${resource}${subresource === "" ? "" : `/${subresource}`}`;
    counts.set(key, (counts.get(key) ?? 0) + Number(line.slice(line.lastIndexOf(" ") + 1)));
  }
  return counts;
}

/** What `after` counts beyond `before` (only the keys that grew). */
export function writesBetween(before: ReadonlyMap<string, number>, after: ReadonlyMap<string, number>): Record<string, number> {
  return Object.fromEntries([...after].filter(([key, count]) => count > (before.get(key) ?? 0)).map(([key, count]) => [key, count - (before.get(key) ?? 0)]));
}
