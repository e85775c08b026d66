// Reads a control plane's own request counters (`apiserver_request_total` on /metrics), so a test can
// assert how many requests of a kind something made.
import { httpsGet } from "../harness/https-get.js";
import type { ConnectedControlPlane } from "./clusters.js";
import { seriesSum } from "./prometheus-text.js";

export interface RequestFilter {
  /** As the API server counts it: GET, LIST, WATCH, APPLY, PATCH, POST, PUT, DELETE. */
  readonly verb: string;
  /** Plural resource, e.g. `serviceentries`. */
  readonly resource: string;
}

/** Requests served so far with this verb on this resource (every response code and scope). */
export async function apiServerRequests(plane: ConnectedControlPlane, filter: RequestFilter): Promise<number> {
  const caData = plane.kubeConfig.getCurrentCluster()?.caData;
  if (caData === undefined) throw new Error(`The kubeconfig of ${plane.info.name} has no certificate-authority-data`);
  const response = await httpsGet(`${plane.info.server}/metrics`, { caPem: Buffer.from(caData, "base64").toString("utf8"), token: plane.info.adminToken, timeoutMs: 10_000 });
  if (response.status !== 200) throw new Error(`GET ${plane.info.server}/metrics answered ${response.status}`);
  return seriesSum(response.body, "apiserver_request_total", `verb="${filter.verb}"`, `resource="${filter.resource}"`);
}
