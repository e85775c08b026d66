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
