// The status the controller writes on the ServiceDependencies and TrafficPolicies in the home
// cluster, as one table. The status reporter runs after the reconciles, so it may lag the objects by
// a moment: waitForStatuses gives it a short while, then the table shows whatever is there.
import { CustomObjectsApi } from "@kubernetes/client-node";

import { renderTable } from "../../controller/cli/output.js";
import { GROUP, VERSION } from "../../crds/index.js";
import type { ServiceDependencyStatus, TrafficPolicyStatus } from "../../crds/index.js";
import { waitUntil } from "../harness/wait-until.js";
import type { RunningCluster } from "./fleet.js";

interface HomeObject {
  readonly kind: "ServiceDependency" | "TrafficPolicy";
  readonly metadata: { readonly name: string; readonly namespace: string };
  readonly status?: ServiceDependencyStatus & TrafficPolicyStatus;
}

const PLURALS = { ServiceDependency: "servicedependencies", TrafficPolicy: "trafficpolicies" } as const;
const STATUS_WAIT_MS = 20_000;

export async function readHomeObjects(home: RunningCluster, namespace: string): Promise<HomeObject[]> {
  const api = home.kubeConfig.makeApiClient(CustomObjectsApi);
  const lists = await Promise.all(
    Object.entries(PLURALS).map(async ([kind, plural]) => {
      const list = (await api.listNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural })) as { items: Omit<HomeObject, "kind">[] };
      return list.items.map((item) => ({ ...item, kind }) as HomeObject);
    }),
  );
  return lists.flat();
}

function settled(object: HomeObject): boolean {
  const conditions = object.status?.conditions ?? [];
  return conditions.length > 0 && conditions.every((condition) => condition.status === "True");
}

/** Waits (briefly) until every object's conditions are all True; returns what was read last. */
export async function waitForStatuses(home: RunningCluster, namespace: string): Promise<HomeObject[]> {
  let last: HomeObject[] = [];
  await waitUntil(
    async () => {
      last = await readHomeObjects(home, namespace);
      return last.every(settled);
    },
    { what: "the status of the ServiceDependencies and TrafficPolicies", timeoutMs: STATUS_WAIT_MS, intervalMs: 500 },
  ).catch(() => undefined);
  return last;
}

function detail(object: HomeObject): string {
  const status = object.status;
  if (status === undefined) return "(no status written yet)";
  if (object.kind === "ServiceDependency") {
    const resolved = (status.resolved ?? []).map((entry) => `${entry.identity} (${entry.env})`).join(", ") || "nothing";
    return `resolved ${resolved}; written to ${status.clustersWritten ?? 0} clusters`;
  }
  const problems = (status.problems ?? []).map((problem) => problem.code).join(", ");
  return `applied in ${status.appliedClusters ?? 0} of ${status.totalClusters ?? 0} clusters${problems === "" ? "" : `; problems: ${problems}`}`;
}

export function renderHomeStatuses(objects: readonly HomeObject[]): string {
  const rows = objects.map((object) => [
    object.kind,
    `${object.metadata.namespace}/${object.metadata.name}`,
    (object.status?.conditions ?? []).map((condition) => `${condition.type}=${condition.status}`).join(" ") || "-",
    detail(object),
  ]);
  return renderTable(["KIND", "NAME", "CONDITIONS", "STATUS"], rows);
}
