// A controller restarted while a member's API server is down must not remove that member's routes
// anywhere: the member is pending (registered, never synced by this process), so the other members
// keep the ServiceEntries with its gateway endpoint and the hosts only it serves, past the start-up
// resync; the dependency says why (ClusterNotSynced, not UnknownDestination); once the member is
// back, everything converges to the plan.
import { CustomObjectsApi } from "@kubernetes/client-node";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";

import type { ServiceEntry } from "../crds/istio.js";
import { IDENTITY_LABEL } from "../controller/core/index.js";
import { startControlPlane } from "./harness/control-plane.js";
import type { ControlPlane } from "./harness/control-plane.js";
import { waitUntil } from "./harness/wait-until.js";
import { connect } from "./support/clusters.js";
import { apply, setUpFleet, SYNC, type Member, type TestFleet } from "./support/controller-fleet.js";
import { metricSum, printControllerLog, startControllerProcess, type ControllerProcess } from "./support/controller-process.js";
import { printFederationLog, suffix } from "./support/federation-runtime.js";
import { applyWorkload } from "./support/federation-workloads.js";
import { liveObjects } from "./support/fleet-state.js";
import type { FleetObjects } from "./support/fleet-state.js";

const ISTIO = { group: "networking.istio.io", version: "v1", namespace: SYNC };
/** The start-up resync runs at the latest a minute after start ("with whatever has synced"). */
const PAST_STARTUP_RESYNC_MS = 75_000;

describe("a controller restart while a member's API server is down", () => {
  let own: ControlPlane | undefined;
  let fleet: TestFleet;
  let controller: ControllerProcess | undefined;
  let a: Member, c: Member, w: Member;
  let served = "", shared = "", caller = "";
  const start = (): ControllerProcess => (controller = startControllerProcess({ homeKubeconfig: fleet.home.info.kubeconfig, redisUrl: fleet.redisUrl, args: ["--resync-interval", "10m"] }));
  /** The objects in every member but the one whose API server the test stops. */
  const others = (): Promise<FleetObjects> => liveObjects(fleet.members.filter((member) => member !== w), SYNC, fleet.identities);
  const endpointsOf = async (member: Member, identity: string): Promise<string[]> => {
    const api = member.plane.kubeConfig.makeApiClient(CustomObjectsApi);
    const list = (await api.listNamespacedCustomObject({ ...ISTIO, plural: "serviceentries", labelSelector: `${IDENTITY_LABEL}=${identity}` })) as { items: ServiceEntry[] };
    return (list.items[0]?.spec.endpoints ?? []).map((e) => e.address).sort();
  };
  const eventReasons = async (): Promise<string[]> => (await fleet.home.core.listNamespacedEvent({ namespace: fleet.namespace })).items.map((e) => e.reason ?? "");

  beforeAll(async () => {
    own = await startControlPlane({ name: `pnd-${suffix()}` });
    const { name, server, kubeconfig, adminToken, logFiles } = own;
    fleet = await setUpFleet("pnd", { extra: connect({ name, server, kubeconfig, adminToken, logFiles: [...logFiles] }) });
    [a, c, , w] = fleet.members as [Member, Member, Member, Member];
    [served, shared, caller] = [`served-${fleet.id}`, `shared-${fleet.id}`, `caller-${fleet.id}`];
    fleet.identities.add(served).add(shared).add(caller);
    await applyWorkload(w.plane, { namespace: fleet.namespace, name: "served", identity: served, ready: 1 });
    await applyWorkload(w.plane, { namespace: fleet.namespace, name: "shared", identity: shared, ready: 1 });
    await applyWorkload(a.plane, { namespace: fleet.namespace, name: "shared", identity: shared, ready: 1 });
    await applyWorkload(a.plane, { namespace: fleet.namespace, name: "caller", identity: caller, ready: 1 });
    await applyWorkload(c.plane, { namespace: fleet.namespace, name: "caller", identity: caller, ready: 1 });
    await apply(fleet.home.objects, fleet.dependency("caller", caller, [served, shared]));
    start();
    await fleet.converged("the first plan", 120_000);
  });

  afterAll(async () => {
    await controller?.stop();
    await own?.restartApiServer().catch(() => undefined);
    await fleet?.cleanUp();
    await own?.stop();
  });

  beforeEach(({ onTestFailed }) =>
    onTestFailed(() => {
      printControllerLog(controller, 200);
      printFederationLog(fleet.federation, 40);
    }),
  );

  test("the other members keep the stopped member's gateway endpoint and the hosts only it serves, past the start-up resync; then converge when it is back", async () => {
    expect(await endpointsOf(c, served)).toEqual([w.gateway]);
    expect(await endpointsOf(c, shared)).toEqual([a.gateway, w.gateway].sort());
    const before = await others();
    await controller?.stop();
    await own?.stopApiServer();
    const restarted = start();
    const port = await restarted.port();
    const startedAt = Date.now();
    // Every second, until well past the start-up resync: nothing of the stopped member's routes goes.
    while (Date.now() - startedAt < PAST_STARTUP_RESYNC_MS || restarted.logged(/^Enqueued a full resync$/).length === 0) {
      expect(await others(), `${Math.round((Date.now() - startedAt) / 1000)} s after the restart`).toEqual(before);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(Date.now() - startedAt).toBeLessThan(150_000);
    }
    expect(await endpointsOf(a, served)).toEqual([w.gateway]);
    expect(await endpointsOf(c, shared)).toEqual([a.gateway, w.gateway].sort());
    // Reported: a log line for the cluster, held keys, and the dependency's problem (not UnknownDestination).
    expect(restarted.logged(/^Cluster pending/).some((line) => line["cluster"] === w.cluster)).toBe(true);
    expect(await metricSum(port, "meridian_held_keys")).toBeGreaterThan(0);
    await waitUntil(async () => (await eventReasons()).includes("ClusterNotSynced"), { what: "a ClusterNotSynced Event", timeoutMs: 30_000 });
    expect(await eventReasons()).not.toContain("UnknownDestination");

    await own?.restartApiServer();
    await fleet.converged("the member's return", 120_000);
    await waitUntil(async () => (await metricSum(port, "meridian_held_keys")) === 0, { what: "no key held any more", timeoutMs: 30_000 });
    expect(restarted.logged(/^Cluster no longer pending/).some((line) => line["cluster"] === w.cluster)).toBe(true);
  }, 360_000); // at least 75 s by design, then the member's return: more than the default on a busy machine
});
