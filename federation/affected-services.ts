// Which Services a changed object can affect, so that a watch handler maps an object to keys and
// returns (it never derives workloads itself). Call it with the old and the new object of an update:
// a Deployment whose pod labels changed may stop matching one Service and start matching another.

import type { V1EndpointSlice, V1Service } from "@kubernetes/client-node";

import { compareStrings } from "./compare.js";
import { selectorMatches } from "./identity.js";
import type { PodController } from "./identity.js";
import { SERVICE_NAME_LABEL } from "./ready-endpoints.js";

export interface ServiceKey {
  namespace: string;
  name: string;
}

export type WatchedObject =
  | { kind: "Service"; object: V1Service }
  | { kind: "EndpointSlice"; object: V1EndpointSlice }
  | { kind: "Deployment" | "Rollout"; object: PodController };

/**
 * The (namespace, Service) keys `changed` can affect. `services` is the cluster's (or the namespace's)
 * cached Services; it is read only for Deployments and Rollouts, whose Services are the ones that
 * select their pod template. Sorted, without duplicates.
 */
export function affectedServices(changed: WatchedObject, services: readonly V1Service[]): ServiceKey[] {
  const metadata = changed.object.metadata ?? {};
  const namespace = metadata.namespace ?? "";
  switch (changed.kind) {
    case "Service":
      return [{ namespace, name: metadata.name ?? "" }];
    case "EndpointSlice":
      return sliceOwner(namespace, metadata.labels);
    default:
      return selectingServices(namespace, changed.object, services);
  }
}

function sliceOwner(namespace: string, labels: Readonly<Record<string, string>> | undefined): ServiceKey[] {
  const owner = labels?.[SERVICE_NAME_LABEL] ?? "";
  return owner === "" ? [] : [{ namespace, name: owner }];
}

function selectingServices(namespace: string, controller: PodController, services: readonly V1Service[]): ServiceKey[] {
  const labels = controller.spec?.template?.metadata?.labels;
  const names = services
    .filter((s) => (s.metadata?.namespace ?? "") === namespace && selectorMatches(s.spec?.selector, labels))
    .map((s) => s.metadata?.name ?? "");
  return [...new Set(names)].sort(compareStrings).map((name) => ({ namespace, name }));
}
