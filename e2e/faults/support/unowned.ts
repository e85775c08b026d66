// Objects Meridian does not own, planted in every member's sync namespace before a fault: one
// ServiceEntry and one DestinationRule without any label, and one ServiceEntry that carries a fleet
// identity's label but not Meridian's managed-by label. After the fault each must be there with the
// resourceVersion it had: Meridian's garbage collection is a label query and must never reach them.
import { CustomObjectsApi } from "@kubernetes/client-node";

import { IDENTITY_LABEL } from "../../../controller/core/index.js";
import { SYNC } from "../../support/controller-fleet.js";
import { suffix } from "../../support/federation-runtime.js";
import type { FaultWorld } from "./fault-world.js";

const ISTIO = { group: "networking.istio.io", version: "v1", namespace: SYNC };

interface Planted {
  readonly cluster: string;
  readonly plural: string;
  readonly name: string;
  readonly resourceVersion: string;
}

function objectsFor(id: string, identity: string): { plural: string; body: Record<string, unknown> }[] {
  const host = `unowned-${id}.example.com`;
  const entry = (name: string, labels: Record<string, string>) => ({
    apiVersion: "networking.istio.io/v1",
    kind: "ServiceEntry",
    metadata: { name, labels },
    spec: { hosts: [host], location: "MESH_EXTERNAL", ports: [{ number: 443, name: "https", protocol: "TLS" }], resolution: "DNS" },
  });
  return [
    { plural: "serviceentries", body: entry(`unowned-${id}`, {}) },
    { plural: "serviceentries", body: entry(`lookalike-${id}`, { [IDENTITY_LABEL]: identity }) },
    { plural: "destinationrules", body: { apiVersion: "networking.istio.io/v1", kind: "DestinationRule", metadata: { name: `unowned-${id}` }, spec: { host, trafficPolicy: { tls: { mode: "SIMPLE" } } } } },
  ];
}

export async function plantUnowned(world: FaultWorld): Promise<Planted[]> {
  const id = suffix();
  const planted: Planted[] = [];
  for (const member of world.fleet.members) {
    const api = member.plane.kubeConfig.makeApiClient(CustomObjectsApi);
    for (const { plural, body } of objectsFor(id, world.identities.api)) {
      const created = (await api.createNamespacedCustomObject({ ...ISTIO, plural, body })) as { metadata: { name: string; resourceVersion: string } };
      planted.push({ cluster: member.cluster, plural, name: created.metadata.name, resourceVersion: created.metadata.resourceVersion });
    }
  }
  return planted;
}

/** How many planted objects changed or disappeared. */
export async function unownedTouched(world: FaultWorld, planted: readonly Planted[]): Promise<number> {
  let touched = 0;
  for (const object of planted) {
    const member = world.fleet.members.find((m) => m.cluster === object.cluster);
    const api = member?.plane.kubeConfig.makeApiClient(CustomObjectsApi);
    const now = (await api?.getNamespacedCustomObject({ ...ISTIO, plural: object.plural, name: object.name }).catch(() => undefined)) as { metadata?: { resourceVersion?: string } } | undefined;
    if (now?.metadata?.resourceVersion !== object.resourceVersion) touched += 1;
  }
  return touched;
}
