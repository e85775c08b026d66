// Writes the status of one of Meridian's custom objects: server-side apply on the status
// subresource with Meridian's field manager, so only the fields Meridian owns are touched. Field
// validation "Ignore" spares the API server a second, strict parse of every body; an apply still
// refuses a field the schema does not declare (see controller/reconcile/apply-objects.ts).

import { PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";
import type { CustomObjectsApi } from "@kubernetes/client-node";

import { API_VERSION, GROUP, RESOURCES, VERSION } from "../../crds/index.js";
import type { Kind } from "../../crds/index.js";

export interface StatusTarget {
  readonly kind: Kind;
  readonly name: string;
  /** Undefined for cluster-scoped kinds (MeshCluster). */
  readonly namespace?: string;
}

export async function applyStatus(api: CustomObjectsApi, target: StatusTarget, status: object, fieldManager: string): Promise<void> {
  const { plural } = RESOURCES[target.kind];
  const { name, namespace } = target;
  const metadata = namespace === undefined ? { name } : { name, namespace };
  const body = { apiVersion: API_VERSION, kind: target.kind, metadata, status };
  const options = setHeaderOptions("Content-Type", PatchStrategy.ServerSideApply);
  const request = { group: GROUP, version: VERSION, plural, name, body, fieldManager, force: true, fieldValidation: "Ignore" };
  if (namespace === undefined) {
    await api.patchClusterCustomObjectStatus(request, options);
  } else {
    await api.patchNamespacedCustomObjectStatus({ ...request, namespace }, options);
  }
}
