// I/O for the east-west gateway check of `meridian cluster register`: lists the member's Istio
// Gateways with the user's credentials (read only), and records the finding as the MeshCluster's
// EastWestGateway condition with a field manager of its own, so the controller's status writes
// (field manager `meridian`, the other conditions) and this one never remove each other's.

import { CustomObjectsApi } from "@kubernetes/client-node";
import type { KubeConfig } from "@kubernetes/client-node";

import { setCondition } from "../conditions.js";
import type { Condition, ConditionUpdate } from "../conditions.js";
import { applyStatus } from "../kube/apply-status.js";
import { makeClient, serverOf } from "../kube/clients.js";
import { apiMessage, classifyError, httpStatusOf } from "./errors.js";
import { EAST_WEST_GATEWAY_CONDITION, findEastWestGateway } from "./east-west-gateway.js";
import type { GatewayFinding, GatewayObject, GatewayWanted } from "./east-west-gateway.js";

/** The field manager of the EastWestGateway condition. */
export const GATEWAY_CHECK_FIELD_MANAGER = "meridian-register";

export async function checkEastWestGateway(member: KubeConfig, wanted: GatewayWanted): Promise<GatewayFinding> {
  try {
    const list = (await makeClient(member, CustomObjectsApi).listCustomObjectForAllNamespaces({ group: "networking.istio.io", version: "v1", resourcePlural: "gateways" })) as { items?: GatewayObject[] };
    return findEastWestGateway(list.items ?? [], wanted);
  } catch (err) {
    const status = httpStatusOf(err);
    if (status === 404) return { found: false, reason: "GatewayCrdMissing", detail: "networking.istio.io/v1 gateways is not served" };
    const why = status === undefined ? (err as Error).message : `${status} ${apiMessage(err)}`.trim();
    return { found: false, reason: "NotChecked", detail: `listing the member's Gateways (networking.istio.io/v1) failed: ${why}` };
  }
}

export interface GatewayConditionTarget {
  readonly home: KubeConfig;
  readonly cluster: string;
  /** The MeshCluster's conditions as read before: a held status keeps its lastTransitionTime, so a repeated registration writes nothing. */
  readonly previous: readonly Condition[] | undefined;
}

/** Server-side applies the one condition on the MeshCluster's status. */
export async function recordGatewayCondition({ home, cluster, previous }: GatewayConditionTarget, update: ConditionUpdate, now: Date): Promise<void> {
  const own = (previous ?? []).filter((c) => c.type === EAST_WEST_GATEWAY_CONDITION);
  const conditions = setCondition(own, update, now);
  try {
    await applyStatus(makeClient(home, CustomObjectsApi), { kind: "MeshCluster", name: cluster }, { conditions }, GATEWAY_CHECK_FIELD_MANAGER);
  } catch (err) {
    throw classifyError(err, { server: serverOf(home), action: `write the EastWestGateway condition of MeshCluster ${cluster}` });
  }
}
