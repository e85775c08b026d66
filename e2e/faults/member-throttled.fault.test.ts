// API Priority and Fairness throttling from one member for 60 s: a FlowSchema puts every request of
// Meridian's ServiceAccount in b into a priority level with no seats that rejects (429 with
// Retry-After). Backoff must be honoured (no hot loop on b), no route lost, the healthy member keeps
// converging (its change latency is in the notes), and every member equals the plan once the
// FlowSchema is gone.
import { KubernetesObjectApi, type KubernetesObject } from "@kubernetes/client-node";
import { describe, expect, test } from "vitest";

import { MERIDIAN_NAMESPACE, SERVICE_ACCOUNT } from "../../federation/registration/names.js";
import { apiServerMetric } from "../support/apiserver-metrics.js";
import { apply } from "../support/controller-fleet.js";
import { applyWorkload } from "../support/federation-workloads.js";
import { runFaultCase } from "./support/fault-case.js";
import { useWorld, type FaultWorld } from "./support/fault-world.js";
import { MEMBER_FAULT } from "./support/signals.js";

const NAME = "meridian-throttled";
const FLOW_CONTROL = "flowcontrol.apiserver.k8s.io/v1";

const throttle: KubernetesObject[] = [
  {
    apiVersion: FLOW_CONTROL,
    kind: "PriorityLevelConfiguration",
    metadata: { name: NAME },
    spec: { type: "Limited", limited: { nominalConcurrencyShares: 0, lendablePercent: 0, borrowingLimitPercent: 0, limitResponse: { type: "Reject" } } },
  } as KubernetesObject,
  {
    apiVersion: FLOW_CONTROL,
    kind: "FlowSchema",
    metadata: { name: NAME },
    spec: {
      matchingPrecedence: 50,
      priorityLevelConfiguration: { name: NAME },
      distinguisherMethod: { type: "ByUser" },
      rules: [
        {
          subjects: [{ kind: "ServiceAccount", serviceAccount: { namespace: MERIDIAN_NAMESPACE, name: SERVICE_ACCOUNT } }],
          resourceRules: [{ verbs: ["*"], apiGroups: ["*"], resources: ["*"], clusterScope: true, namespaces: ["*"] }],
          nonResourceRules: [{ verbs: ["*"], nonResourceURLs: ["*"] }],
        },
      ],
    },
  } as KubernetesObject,
];

const rejected = (w: FaultWorld): Promise<number> =>
  apiServerMetric({ kubeConfig: w.b.plane.kubeConfig, adminToken: w.b.plane.info.adminToken }, "apiserver_flowcontrol_rejected_requests_total", `priority_level="${NAME}"`);

describe("a member throttling Meridian (429) for 60 s", () => {
  const world = useWorld("throttle", { priorityAndFairnessInB: true });
  let rejectedDuring = 0;

  test("backoff honoured, no route lost, the healthy member converges meanwhile, recovered", async () => {
    const result = await runFaultCase(world(), {
      ...MEMBER_FAULT,
      case: "member-throttled",
      fault: "member rejects Meridian's requests with 429 (APF FlowSchema, no seats) 60 s",
      inject: async (w) => {
        const objects = KubernetesObjectApi.makeApiClient(w.b.plane.kubeConfig);
        for (const object of throttle) await objects.create(object);
        // Work for b while it throttles: a new identity in a that worker (in b) calls, so Meridian must
        // write b's ServiceEntry and DestinationRule for it (without a change, a quiet controller may
        // send b nothing but its probe within the minute).
        const identity = `ledger-${w.fleet.id}`;
        w.fleet.identities.add(identity);
        await applyWorkload(w.a.plane, { namespace: w.fleet.namespace, name: "ledger", identity, ready: 1 });
        await apply(w.fleet.home.objects, w.fleet.dependency("worker-ledger", w.identities.worker, [identity]));
      },
      holdMs: 60_000,
      heal: async (w) => {
        rejectedDuring = await rejected(w);
        const objects = KubernetesObjectApi.makeApiClient(w.b.plane.kubeConfig);
        for (const object of [...throttle].reverse()) await objects.delete(object);
      },
    });
    expect(rejectedDuring, "requests rejected with 429 by the throttle").toBeGreaterThan(0);
    expect(result.routesLost, result.lostRoutes.join("\n")).toBe(0);
  });
});
