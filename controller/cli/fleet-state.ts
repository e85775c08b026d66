// The fleet as the controller would plan it, and what each member holds now: for `meridian diff`
// and `meridian explain`. Read-only: readFleet (the graph, as the controller sees it), then each
// member's stored credentials (in the controller's namespace, from its settings) and a LIST of the generated kinds in its sync namespace.

import type { KubeConfig } from "@kubernetes/client-node";

import type { GeneratedObject } from "../../crds/istio.js";
import { serverOf } from "../../federation/kube/clients.js";
import { classifyError } from "../../federation/registration/errors.js";
import { plan } from "../core/index.js";
import type { ClusterName, LiveObject, Plan, PlanInput } from "../core/index.js";
import type { CliIo } from "./cli-io.js";
import { fleetSettings, readFleet } from "./fleet-snapshot.js";
import { listGeneratedKinds, memberAccess } from "./member-reads.js";

export interface MemberState {
  readonly cluster: ClusterName;
  /** What Meridian wants there (undefined: the cluster is registered but not in the fleet, i.e. not synced). */
  readonly desired?: readonly GeneratedObject[];
  /** Every ServiceEntry and DestinationRule in its sync namespace; undefined when it could not be read. */
  readonly live?: readonly LiveObject[];
  /** Why it could not be read or planned. */
  readonly error?: string;
}

export interface FleetState {
  readonly fleet: PlanInput;
  readonly plan: Plan;
  /** Registered members (only `only` when given), sorted. */
  readonly members: readonly MemberState[];
}

export async function readFleetState(home: KubeConfig, io: CliIo, only?: ClusterName): Promise<FleetState> {
  const settings = fleetSettings(io.settingsEnv ?? {});
  const fleet = await readFleet(home, settings, io);
  const desired = plan(fleet);
  const access = (await memberAccess(home, settings.namespace)).filter((a) => only === undefined || a.cluster === only);
  const members = await Promise.all(access.map(async (a): Promise<MemberState> => {
    const clusterPlan = desired.clusters.find((c) => c.cluster === a.cluster);
    const wanted = clusterPlan === undefined ? {} : { desired: [...clusterPlan.serviceEntries, ...clusterPlan.destinationRules] };
    if ("error" in a) return { cluster: a.cluster, ...wanted, error: `credentials not usable: ${a.error}` };
    if (clusterPlan === undefined) return { cluster: a.cluster, error: "not synced: its workloads are not known, so neither is what it should hold (see meridian cluster status)" };
    try {
      return { cluster: a.cluster, ...wanted, live: await listGeneratedKinds(a.kubeConfig, fleet.options.syncNamespace) };
    } catch (err) {
      return { cluster: a.cluster, ...wanted, error: classifyError(err, { server: serverOf(a.kubeConfig), action: `list ServiceEntries and DestinationRules in ${fleet.options.syncNamespace}` }).message };
    }
  }));
  return { fleet, plan: desired, members };
}
