// What the controller asks of the API servers while nothing changes: over a quiet minute with a full
// resync in it, no LIST or GET of Meridian's kinds, the Istio kinds it writes, Secrets or Events —
// everything it needs is in its watches. What is left on timers is documented in README.md
// ("Requests while nothing changes"): the probe of each member (GET /version, not a resource), the
// access review of each member (SelfSubjectAccessReviews and a SelfSubjectReview, on the access
// interval) and the leader's Lease renewal (leases are not counted here: the API servers renew their
// own).
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { waitUntil } from "./harness/wait-until.js";
import { apiServerRequestCounts, writesBetween } from "./support/apiserver-metrics.js";
import { apply, setUpFleet, type Member, type TestFleet } from "./support/controller-fleet.js";
import { isReady, printControllerLog, startControllerProcess, type ControllerProcess } from "./support/controller-process.js";
import { applyWorkload } from "./support/federation-workloads.js";

/** Resources whose reads would mean the controller polls what its watches hold. */
const WATCHED = ["meshclusters", "servicedependencies", "trafficpolicies", "failoverdrills", "serviceentries", "destinationrules", "secrets", "events"];
const QUIET_MS = 60_000;

describe("a quiet minute", () => {
  let fleet: TestFleet;
  let controller: ControllerProcess | undefined;

  beforeAll(async () => {
    fleet = await setUpFleet("quiet");
    const [a, c, b] = fleet.members as [Member, Member, Member];
    const [payments, checkout] = [`payments-${fleet.id}`, `checkout-${fleet.id}`];
    fleet.identities.add(payments).add(checkout);
    await applyWorkload(a.plane, { namespace: fleet.namespace, name: "payments", identity: payments, ready: 1 });
    await applyWorkload(b.plane, { namespace: fleet.namespace, name: "payments", identity: payments, ready: 1 });
    await applyWorkload(c.plane, { namespace: fleet.namespace, name: "checkout", identity: checkout, ready: 1 });
    await apply(fleet.home.objects, fleet.dependency("checkout", checkout, [payments]));
    controller = startControllerProcess({ homeKubeconfig: fleet.home.info.kubeconfig, redisUrl: fleet.redisUrl, args: ["--resync-interval", "20s"] });
    const port = await controller.port();
    await fleet.converged("the first plan to be written");
    await waitUntil(() => isReady(port), { what: "/readyz", timeoutMs: 30_000 });
  }, 180_000);

  afterAll(async () => {
    await controller?.stop();
    await fleet.cleanUp();
  });

  test(
    "no LIST or GET of a watched kind over a minute with a full resync in it",
    async () => {
      const planes = [fleet.home, ...fleet.members.map((m) => m.plane).filter((plane) => plane !== fleet.home)];
      const everything = (): Promise<Map<string, number>[]> => Promise.all(planes.map((plane) => apiServerRequestCounts(plane, (verb) => verb !== "WATCH")));
      const before = await everything();
      const resyncsBefore = controller?.logged(/^Enqueued a full resync$/).length ?? 0;
      await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
      const after = await everything();
      const resyncs = (controller?.logged(/^Enqueued a full resync$/).length ?? 0) - resyncsBefore;
      const requests = planes.map((plane, i) => ({ plane: plane.info.name, ...writesBetween(before[i] ?? new Map(), after[i] ?? new Map()) }));
      console.log(`Requests over a quiet minute (${resyncs} full resyncs):\n${JSON.stringify(requests, null, 1)}`);
      if (resyncs < 1) printControllerLog(controller);
      expect(resyncs, "full resyncs during the minute").toBeGreaterThanOrEqual(1);
      const reads = requests.flatMap(({ plane, ...counts }) =>
        Object.entries(counts)
          .filter(([key]) => /^(GET|LIST) /.test(key) && WATCHED.includes(key.split(" ")[1]?.split("/")[0] ?? ""))
          .map(([key, count]) => `${plane}: ${key} ×${count}`),
      );
      expect(reads).toEqual([]);
    },
    QUIET_MS + 60_000,
  );
});

