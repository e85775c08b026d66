// FailoverDrills for e2e tests: create, read, wait for a phase, stage a status, and read the
// endpoints the members' ServiceEntries carry for an identity (what "the clusters show").
import { CustomObjectsApi, PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";

import { API_VERSION, GROUP, VERSION } from "../../crds/index.js";
import type { FailoverDrillStatus } from "../../crds/index.js";
import { IDENTITY_LABEL } from "../../controller/core/index.js";
import { readDrillReport } from "../../controller/core/drill-report.js";
import type { DrillReport } from "../../controller/core/drill-report.js";
import { waitUntil } from "../harness/wait-until.js";
import type { ConnectedControlPlane } from "./clusters.js";

const DRILLS = { group: GROUP, version: VERSION, plural: "failoverdrills" };

export interface StoredDrill {
  metadata: { name: string; namespace: string; uid: string; resourceVersion: string; annotations?: Record<string, string> };
  spec: Record<string, unknown>;
  status?: FailoverDrillStatus;
}

export interface DrillSpec {
  target: { region: string } | { cluster: string };
  identities?: string[];
  duration?: string;
  force?: boolean;
  planOnly?: boolean;
}

export class Drills {
  private readonly api: CustomObjectsApi;

  constructor(
    home: ConnectedControlPlane,
    private readonly namespace: string,
  ) {
    this.api = home.kubeConfig.makeApiClient(CustomObjectsApi);
  }

  async create(name: string, spec: DrillSpec): Promise<void> {
    const body = { apiVersion: API_VERSION, kind: "FailoverDrill", metadata: { name, namespace: this.namespace }, spec };
    await this.api.createNamespacedCustomObject({ ...DRILLS, namespace: this.namespace, body });
  }

  read(name: string): Promise<StoredDrill> {
    return this.api.getNamespacedCustomObject({ ...DRILLS, namespace: this.namespace, name }) as Promise<StoredDrill>;
  }

  async report(name: string): Promise<DrillReport> {
    const report = readDrillReport((await this.read(name)).status?.report);
    if (report === undefined) throw new Error(`FailoverDrill ${name} has no report`);
    return report;
  }

  /** Waits for one of `phases`; returns the drill as it was then. */
  async waitFor(name: string, phases: readonly string[], timeoutMs = 60_000, intervalMs = 100): Promise<StoredDrill> {
    let last: StoredDrill | undefined;
    try {
      await waitUntil(
        async () => {
          last = await this.read(name);
          return phases.includes(last.status?.phase ?? "");
        },
        { what: `FailoverDrill ${name} in ${phases.join(" or ")}`, timeoutMs, intervalMs },
      );
    } catch (err) {
      throw new Error(`${(err as Error).message}; last status ${JSON.stringify(last?.status)}`, { cause: err });
    }
    return last as StoredDrill;
  }

  /** Writes a status as a controller would have (to stage a drill a controller left mid-way). */
  async writeStatus(name: string, status: FailoverDrillStatus): Promise<void> {
    await this.api.patchNamespacedCustomObjectStatus({ ...DRILLS, namespace: this.namespace, name, body: { status } }, setHeaderOptions("Content-Type", PatchStrategy.MergePatch));
  }
}

/** The phases of a timeline, without the per-cluster verification entries. */
export function phasesOf(status: FailoverDrillStatus | undefined): string[] {
  const entries = (status?.timeline ?? []).filter((e) => !e.message.startsWith("Cluster "));
  return entries.map((e) => e.phase);
}

/** The endpoints (`address locality`) of the identity's ServiceEntries in one member, by ServiceEntry name. */
export async function endpointsIn(plane: ConnectedControlPlane, syncNamespace: string, identity: string): Promise<Record<string, string[]>> {
  const api = plane.kubeConfig.makeApiClient(CustomObjectsApi);
  const list = (await api.listNamespacedCustomObject({ group: "networking.istio.io", version: "v1", namespace: syncNamespace, plural: "serviceentries", labelSelector: `${IDENTITY_LABEL}=${identity}` })) as {
    items: { metadata: { name: string }; spec: { endpoints?: { address: string; locality?: string }[] } }[];
  };
  return Object.fromEntries(list.items.map((se) => [se.metadata.name, (se.spec.endpoints ?? []).map((e) => `${e.address} ${e.locality ?? ""}`.trim()).sort()]));
}
