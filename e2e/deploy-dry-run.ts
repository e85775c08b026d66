// Sends helm's rendered YAML, byte for byte, to a real API server as a server-side apply with
// dryRun=All and fieldValidation=Strict: the server runs defaulting, validation and admission and
// stores nothing; an unknown or duplicated field is an error, not a silently dropped one. (Going
// through client-node's typed serializer would drop unknown fields before the server saw them.)
import { request, type RequestOptions } from "node:https";
import { parse } from "yaml";
import { installCrds } from "./harness/install-crds.js";
import { parseObjects } from "./harness/yaml-documents.js";
import type { ConnectedControlPlane } from "./support/clusters.js";
import type { V1CustomResourceDefinition } from "@kubernetes/client-node";

export interface DryRunResult {
  readonly kind: string;
  readonly name: string;
  readonly status: number;
  /** The server's message when it refused, else "". */
  readonly message: string;
  /** `Warning` headers: deprecated APIs and the like. */
  readonly warnings: readonly string[];
}

interface RawResponse {
  status: number;
  body: string;
  warnings: string[];
}

async function send(plane: ConnectedControlPlane, method: string, path: string, body?: string): Promise<RawResponse> {
  const url = new URL(path, plane.info.server);
  const options: RequestOptions = { method, headers: body === undefined ? {} : { "content-type": "application/apply-patch+yaml" } };
  await plane.kubeConfig.applyToHTTPSOptions(options);
  return new Promise((resolve, reject) => {
    const req = request(url, options, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        const header = res.headers["warning"];
        const warnings = header === undefined ? [] : [header].flat();
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8"), warnings });
      });
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

interface ResourceInfo {
  name: string;
  namespaced: boolean;
}

const discovery = new Map<string, Promise<Map<string, ResourceInfo>>>();

/** The resources of one group/version, by kind (from the server's discovery, cached per server). */
function resourcesOf(plane: ConnectedControlPlane, apiVersion: string): Promise<Map<string, ResourceInfo>> {
  const key = `${plane.info.server} ${apiVersion}`;
  let resources = discovery.get(key);
  if (resources === undefined) {
    resources = send(plane, "GET", apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`).then((response) => {
      if (response.status !== 200) throw new Error(`Discovery of ${apiVersion} answered ${response.status}: ${response.body}`);
      const list = JSON.parse(response.body) as { resources: (ResourceInfo & { kind: string })[] };
      return new Map(list.resources.filter((resource) => !resource.name.includes("/")).map((resource) => [resource.kind, resource]));
    });
    resources.catch(() => discovery.delete(key));
    discovery.set(key, resources);
  }
  return resources;
}

interface Header {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
}

async function applyPath(plane: ConnectedControlPlane, header: Header): Promise<string> {
  const resource = (await resourcesOf(plane, header.apiVersion)).get(header.kind);
  if (resource === undefined) throw new Error(`The API server does not serve ${header.kind} in ${header.apiVersion}.`);
  const prefix = header.apiVersion.includes("/") ? `/apis/${header.apiVersion}` : `/api/${header.apiVersion}`;
  const scope = resource.namespaced ? `/namespaces/${header.metadata.namespace ?? "default"}` : "";
  const query = "dryRun=All&fieldManager=meridian-e2e-dry-run&force=true&fieldValidation=Strict";
  return `${prefix}${scope}/${resource.name}/${encodeURIComponent(header.metadata.name)}?${query}`;
}

/** Server-side applies one rendered YAML document with dryRun=All; never throws for a refusal. */
export async function dryRunApply(plane: ConnectedControlPlane, document: string): Promise<DryRunResult> {
  const header = parse(document) as Header;
  const response = await send(plane, "PATCH", await applyPath(plane, header), document);
  const ok = response.status >= 200 && response.status < 300;
  const message = ok ? "" : ((JSON.parse(response.body) as { message?: string }).message ?? response.body);
  return { kind: header.kind, name: header.metadata.name, status: response.status, message, warnings: response.warnings };
}

/**
 * A minimal copy of the Prometheus Operator's ServiceMonitor CRD: the fields the chart writes, with
 * the upstream names and types, and nothing else, so a misspelt field fails strict validation.
 */
const SERVICE_MONITOR_CRD = `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: servicemonitors.monitoring.coreos.com
spec:
  group: monitoring.coreos.com
  scope: Namespaced
  names: { kind: ServiceMonitor, listKind: ServiceMonitorList, plural: servicemonitors, singular: servicemonitor }
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          required: [spec]
          properties:
            spec:
              type: object
              required: [selector, endpoints]
              properties:
                selector:
                  type: object
                  properties:
                    matchLabels: { type: object, additionalProperties: { type: string } }
                namespaceSelector:
                  type: object
                  properties:
                    any: { type: boolean }
                    matchNames: { type: array, items: { type: string } }
                endpoints:
                  type: array
                  items:
                    type: object
                    properties:
                      port: { type: string }
                      path: { type: string }
                      interval: { type: string, pattern: "^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$" }
                      scrapeTimeout: { type: string, pattern: "^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$" }
`;

/** Installs the minimal ServiceMonitor CRD (idempotent) and waits until it is served. */
export async function installServiceMonitorCrd(plane: ConnectedControlPlane): Promise<void> {
  const crds = parseObjects(SERVICE_MONITOR_CRD) as V1CustomResourceDefinition[];
  await installCrds(plane.kubeConfig, crds, 30_000);
}
