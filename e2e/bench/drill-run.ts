// One timed drill of the drill benchmark (see drill.ts): create a FailoverDrill, watch it until
// Holding and then until Completed, and confirm each verdict by reading back every member's
// ServiceEntries. A watch, not a tight poll: the measurement must not load the home API server
// (polling every 20 ms cost it about 10% of a core).
import { CustomObjectsApi, Watch } from "@kubernetes/client-node";
import type { KubeConfig } from "@kubernetes/client-node";

import { API_VERSION, GROUP, VERSION } from "../../crds/index.js";
import type { DrillPhase, FailoverDrillStatus } from "../../crds/index.js";
import { readDrillReport } from "../../controller/core/drill-report.js";
import type { DrillReport } from "../../controller/core/drill-report.js";
import { makeClient } from "../../federation/kube/clients.js";
import type { StoredDrill } from "../support/drills.js";
import type { BenchFleet } from "./converge-fleet.js";
import { differingHosts, emptyHosts, endpointsInRegion, fleetEndpoints, withoutRegion, type FleetEndpoints } from "./drill-endpoints.js";

const DRILLS = { group: GROUP, version: VERSION, plural: "failoverdrills" };
/** A slow read besides the watch, in case the watch ends or misses an event. */
const SAFETY_POLL_MS = 1_000;
/** Longer than the controller's own 2-minute verification deadline, so its Failed is seen rather than a bench timeout. */
const PHASE_TIMEOUT_MS = 180_000;
const ENDED: readonly DrillPhase[] = ["Completed", "Aborted", "Failed", "Refused"];

export interface DrillBench {
  readonly fleet: BenchFleet;
  readonly identities: ReadonlySet<string>;
  /** Where the FailoverDrills are created (in the home cluster). */
  readonly namespace: string;
  readonly region: string;
  readonly duration: string;
  /** The members' endpoints with no drill running. */
  readonly baseline: FleetEndpoints;
}

export interface DrillTimes {
  /** From the create call to Holding seen. */
  readonly evacuateMs: number;
  /** From status.endsAt to Completed seen. */
  readonly restoreMs: number;
  /** The controller's own report: Evacuating began → last cluster verified. */
  readonly controllerEvacuationMs: number;
  /** The controller's own report: Restoring began → last cluster verified. */
  readonly controllerRestorationMs: number;
  /** From status.endsAt to the Restoring timeline entry (the runner's tick). */
  readonly restoringLagMs: number;
  readonly hosts: number;
  readonly affectedClusters: readonly string[];
  readonly affectedIdentities: number;
  /** Endpoints in the region read back while holding (a run with any fails instead). */
  readonly violations: number;
  /** Hosts whose endpoints outside the region were not what they were before the drill, while holding. */
  readonly unexpectedHosts: number;
}

/** The drill ended, or did not get to a phase in time, while the bench waited for another phase. */
export class DrillNotReachedError extends Error {
  constructor(name: string, wanted: DrillPhase, status: FailoverDrillStatus | undefined) {
    const timeline = (status?.timeline ?? []).map((e) => `${e.time} ${e.phase}: ${e.message}`).join("\n  ");
    super(`FailoverDrill ${name} is ${status?.phase ?? "without a phase"} (${status?.reason ?? "no reason"}), waited for ${wanted}; timeline:\n  ${timeline}`);
    this.name = "DrillNotReachedError";
  }
}

/** The members' ServiceEntries contradict what the drill's status says. */
export class ReadBackMismatchError extends Error {
  constructor(what: string, findings: readonly string[]) {
    super(`${what} (${findings.length}): ${findings.slice(0, 10).join("; ")}${findings.length > 10 ? "; …" : ""}`);
    this.name = "ReadBackMismatchError";
  }
}

type DrillRef = typeof DRILLS & { readonly namespace: string; readonly name: string };

export async function runDrill(bench: DrillBench, name: string, log: (message: string) => void): Promise<DrillTimes> {
  const api = makeClient(bench.fleet.home.kubeConfig, CustomObjectsApi);
  const ref: DrillRef = { ...DRILLS, namespace: bench.namespace, name };
  const body = { apiVersion: API_VERSION, kind: "FailoverDrill", metadata: { name, namespace: bench.namespace }, spec: { target: { region: bench.region }, duration: bench.duration } };
  const started = performance.now();
  await api.createNamespacedCustomObject({ ...DRILLS, namespace: bench.namespace, body });
  const holding = await phaseReached(bench.fleet.home.kubeConfig, api, ref, "Holding");
  const evacuateMs = performance.now() - started;
  const endsAt = Date.parse(holding.status?.endsAt ?? "");
  const evacuated = await confirmEvacuated(bench, endsAt, log);
  const done = await phaseReached(bench.fleet.home.kubeConfig, api, ref, "Completed");
  const restoreMs = Date.now() - endsAt;
  await confirmRestored(bench, log);
  const report = readDrillReport(done.status?.report);
  if (report === undefined) throw new Error(`FailoverDrill ${name} completed without a report`);
  return { evacuateMs, restoreMs, ...evacuated, restoringLagMs: restoringAt(done.status) - endsAt, ...reported(report) };
}

/** Resolves with the drill as first seen in `phase`; rejects when it ends elsewhere or takes too long. */
function phaseReached(kubeConfig: KubeConfig, api: CustomObjectsApi, ref: DrillRef, phase: DrillPhase): Promise<StoredDrill> {
  return new Promise((resolve, reject) => {
    let last: StoredDrill | undefined;
    let watch: AbortController | undefined;
    let settled = false;
    const settle = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      clearInterval(poll);
      watch?.abort();
      outcome();
    };
    const consider = (drill: StoredDrill): void => {
      last = drill;
      const now = drill.status?.phase;
      if (now === phase) settle(() => resolve(drill));
      else if (now !== undefined && ENDED.includes(now)) settle(() => reject(new DrillNotReachedError(ref.name, phase, drill.status)));
    };
    const deadline = setTimeout(() => settle(() => reject(new DrillNotReachedError(ref.name, phase, last?.status))), PHASE_TIMEOUT_MS);
    const poll = setInterval(() => void api.getNamespacedCustomObject(ref).then((drill) => consider(drill as StoredDrill), () => undefined), SAFETY_POLL_MS);
    // Without a resourceVersion the watch starts with the drill as it is now (ADDED), then each change.
    const path = `/apis/${ref.group}/${ref.version}/namespaces/${ref.namespace}/${ref.plural}`;
    new Watch(kubeConfig)
      .watch(path, { fieldSelector: `metadata.name=${ref.name}` }, (_type: string, drill: unknown) => consider(drill as StoredDrill), () => undefined)
      .then((controller) => (settled ? controller.abort() : (watch = controller)), () => undefined);
  });
}

/** While holding: no endpoint in the region, no host without endpoints; counts the hosts whose other endpoints changed. */
async function confirmEvacuated(bench: DrillBench, endsAt: number, log: (message: string) => void): Promise<Pick<DrillTimes, "violations" | "unexpectedHosts">> {
  const during = await fleetEndpoints(bench.fleet, bench.identities);
  if (!(Date.now() < endsAt)) throw new Error(`Reading the members back took past the end of Holding (${new Date(endsAt).toISOString()}): the evacuation check is void`);
  const violations = endpointsInRegion(during, bench.region);
  const blackHoled = emptyHosts(during);
  const unexpected = differingHosts(withoutRegion(bench.baseline, bench.region), during);
  log(`holding: ${during.size} hosts read back, ${violations.length} endpoints in ${bench.region}, ${blackHoled.length} hosts without endpoints, ${unexpected.length} hosts otherwise changed`);
  if (violations.length > 0) throw new ReadBackMismatchError(`Endpoints in the evacuated region ${bench.region} while the drill was Holding`, violations);
  if (blackHoled.length > 0) throw new ReadBackMismatchError("Hosts without any endpoint while the drill was Holding", blackHoled);
  return { violations: violations.length, unexpectedHosts: unexpected.length };
}

/** After Completed: every host's endpoints are what they were before the drill. */
async function confirmRestored(bench: DrillBench, log: (message: string) => void): Promise<void> {
  const after = await fleetEndpoints(bench.fleet, bench.identities);
  const back = endpointsInRegion(after, bench.region).length;
  const differing = differingHosts(bench.baseline, after);
  log(`completed: ${back} of ${endpointsInRegion(bench.baseline, bench.region).length} endpoints in ${bench.region} back, ${differing.length} hosts differ from before the drill`);
  if (differing.length > 0) throw new ReadBackMismatchError("Hosts not restored to their endpoints before the drill once it Completed", differing);
}

function restoringAt(status: FailoverDrillStatus | undefined): number {
  const entry = (status?.timeline ?? []).find((e) => e.phase === "Restoring" && !e.message.startsWith("Cluster "));
  return Date.parse(entry?.time ?? "");
}

function reported(report: DrillReport): Pick<DrillTimes, "controllerEvacuationMs" | "controllerRestorationMs" | "hosts" | "affectedClusters" | "affectedIdentities"> {
  return {
    controllerEvacuationMs: report.evacuation?.durationMs ?? Number.NaN,
    controllerRestorationMs: report.restoration?.durationMs ?? Number.NaN,
    hosts: report.hosts,
    affectedClusters: report.affectedClusters,
    affectedIdentities: report.affectedIdentities.length,
  };
}
