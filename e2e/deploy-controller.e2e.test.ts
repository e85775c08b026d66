// The chart's RBAC is enough, proved by running: the controller runs with a token of the chart's
// ServiceAccount (not an admin) against the home cluster and members registered with the member
// RBAC, and the reconciliation scenario passes — objects written, status written, Lease held,
// Events recorded, and not one request forbidden.
import { CustomObjectsApi } from "@kubernetes/client-node";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";

import { waitUntil } from "./harness/wait-until.js";
import { installHomeRbac, type ChartIdentity } from "./deploy-support.js";
import { apply, setUpFleet, type Member, type TestFleet } from "./support/controller-fleet.js";
import { printControllerLog, startControllerProcess, type ControllerProcess } from "./support/controller-process.js";
import { applyWorkload, setReady } from "./support/federation-workloads.js";

describe("the controller with the chart's least-privilege ServiceAccount", () => {
  let fleet: TestFleet;
  let identity: ChartIdentity | undefined;
  let controller: ControllerProcess | undefined;
  let payments = "";

  beforeAll(async () => {
    fleet = await setUpFleet("chart");
    identity = await installHomeRbac(fleet.home);
    const [a, c, b] = fleet.members as [Member, Member, Member];
    payments = `payments-${fleet.id}`;
    const checkout = `checkout-${fleet.id}`;
    fleet.identities.add(payments).add(checkout);
    await applyWorkload(a.plane, { namespace: fleet.namespace, name: "payments", identity: payments, ready: 1 });
    await applyWorkload(b.plane, { namespace: fleet.namespace, name: "payments", identity: payments, ready: 1 });
    await applyWorkload(c.plane, { namespace: fleet.namespace, name: "checkout", identity: checkout, ready: 1 });
    await apply(fleet.home.objects, fleet.dependency("checkout", checkout, [payments, `missing-${fleet.id}`]));
    controller = startControllerProcess({ homeKubeconfig: identity.kubeconfigFile, redisUrl: fleet.redisUrl });
  });

  afterAll(async () => {
    await controller?.stop();
    await identity?.dispose();
    await fleet.cleanUp();
  });

  beforeEach(({ onTestFailed }) => onTestFailed(() => printControllerLog(controller)));

  test("converges, writes status and Events, holds the Lease, and is never forbidden", async () => {
    await fleet.converged("the plan, written with the chart's ServiceAccount");
    await waitUntil(async () => (controller?.logged(/^Became the leader$/).length ?? 0) > 0, { what: "the Lease", timeoutMs: 30_000 });
    const api = fleet.home.kubeConfig.makeApiClient(CustomObjectsApi);
    await waitUntil(
      async () => {
        const object = (await api.getNamespacedCustomObject({ group: "meridian.dev", version: "v1alpha1", namespace: fleet.namespace, plural: "servicedependencies", name: "checkout" })) as { status?: { clustersWritten?: number; unresolved?: unknown[] } };
        return object.status?.clustersWritten === 1 && object.status.unresolved?.length === 1;
      },
      { what: "the ServiceDependency's status", timeoutMs: 30_000 },
    );
    await waitUntil(async () => (await fleet.home.core.listNamespacedEvent({ namespace: fleet.namespace })).items.some((e) => e.reason === "UnknownDestination"), { what: "the Warning Event", timeoutMs: 30_000 });
    const [a] = fleet.members as [Member];
    await setReady(a.plane, { namespace: fleet.namespace, name: "payments", identity: payments, ready: 0 });
    await fleet.converged("a change, written with the chart's ServiceAccount");
    // A refusal shows as the word or as a 403 status code; a bare 403 could be a pid or a duration.
    const forbidden = controller?.logLines.filter((line) => /forbidden|HTTP-Code: 403|"(?:code|statusCode|status)":\s*403\b/i.test(line)) ?? [];
    expect(forbidden).toEqual([]);
  });
});
