// The FailoverDrills of the home cluster as the drill runner reads and writes them: a list of every
// drill (fresh, in all namespaces) and status writes that succeed only against the version the
// runner read, so two replicas that both think they lead cannot move one drill twice.
import { CoreV1Api, CustomObjectsApi, PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";
import type { KubeConfig } from "@kubernetes/client-node";

import { GROUP, RESOURCES, VERSION, parseFailoverDrill } from "../../crds/index.js";
import type { FailoverDrill, FailoverDrillStatus } from "../../crds/index.js";
import { makeClient } from "../../federation/kube/clients.js";
import { httpStatusOf } from "../../federation/kube/api-errors.js";
import type { DrillEvent } from "../core/drill-step.js";
import { problemEvent } from "../status/problem-event.js";

const PLURAL = RESOURCES.FailoverDrill.plural;
const PAGE_SIZE = 500;

interface RawList {
  items?: unknown[];
  metadata?: { continue?: string };
}

export class DrillStore {
  private readonly api: CustomObjectsApi;
  private readonly core: CoreV1Api;

  constructor(kubeConfig: KubeConfig, requestTimeoutMs = 20_000) {
    this.api = makeClient(kubeConfig, CustomObjectsApi, requestTimeoutMs);
    this.core = makeClient(kubeConfig, CoreV1Api, requestTimeoutMs);
  }

  /** Every drill that passes its schema (the others carry an InvalidSpec condition written by the home watch). */
  async list(): Promise<FailoverDrill[]> {
    const drills: FailoverDrill[] = [];
    let next: string | undefined;
    do {
      const request = { group: GROUP, version: VERSION, plural: PLURAL, limit: PAGE_SIZE };
      const page = (await this.api.listClusterCustomObject(next === undefined ? request : { ...request, _continue: next })) as RawList;
      for (const raw of page.items ?? []) {
        const parsed = parseFailoverDrill(raw);
        if (parsed.ok) drills.push(parsed.value);
      }
      next = page.metadata?.continue || undefined;
    } while (next !== undefined);
    return drills;
  }

  /**
   * Replaces the drill's status if the drill is still at the version it was read at. Returns the
   * drill as written, or undefined when it changed meanwhile (or was deleted): read it again.
   */
  async writeStatus(drill: FailoverDrill, status: FailoverDrillStatus): Promise<FailoverDrill | undefined> {
    const { name, namespace = "", resourceVersion } = drill.metadata;
    const body = { metadata: { resourceVersion }, status };
    try {
      const written = await this.api.patchNamespacedCustomObjectStatus(
        { group: GROUP, version: VERSION, plural: PLURAL, namespace, name, body },
        setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
      );
      const parsed = parseFailoverDrill(written);
      return parsed.ok ? parsed.value : undefined;
    } catch (err) {
      const code = httpStatusOf(err);
      if (code === 409 || code === 404) return undefined;
      throw err;
    }
  }

  /** A Normal or Warning Event on the drill; one per phase change (the name is deterministic). */
  async event(drill: FailoverDrill, event: DrillEvent, now: Date): Promise<void> {
    const { name, namespace = "", uid = "" } = drill.metadata;
    const body = { ...problemEvent({ kind: "FailoverDrill", namespace, name, uid }, { code: event.reason, message: event.message }, now), type: event.type };
    try {
      await this.core.createNamespacedEvent({ namespace, body });
    } catch (err) {
      if (httpStatusOf(err) !== 409) throw err;
    }
  }
}
