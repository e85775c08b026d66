import { describe, expect, test } from "vitest";

import { TrafficPolicyStatusSchema } from "../../crds/index.js";
import { loadCrd } from "../../crds/fixtures/index.js";
import { crdValidator } from "../../crds/testing/crd-validator.js";
import { statusBody } from "./object-status.js";
import { policyStatus } from "./policy-status.js";
import { Fleet, NAMESPACE, dependency, graph, policy, workload } from "./testing/fleet-fixture.js";

const checkout = dependency("checkout", { identity: "checkout" }, [{ identity: "payments" }]);
const weighted = policy("payments-weighted", { identity: "payments", mode: "Weighted", weights: [{ region: "us-east", weight: 50 }, { region: "ap-south", weight: 50 }] });

const applied = (status: ReturnType<typeof policyStatus>): string => {
  const [condition] = status.conditions;
  return `${condition?.status} ${condition?.reason}`;
};

describe("policyStatus", () => {
  test("counts the clusters with the identity's DestinationRule and those written; lists the planner's problems", () => {
    const fleet = new Fleet(graph({ dependencies: [checkout], policies: [weighted] })).reconcileAll();
    const status = policyStatus(fleet.view(), weighted);
    expect(status.fields["totalClusters"]).toBe(3);
    expect(status.fields["appliedClusters"]).toBe(3);
    expect(status.fields["problems"]).toEqual([{ code: "WeightedRegionWithoutEndpoints", message: expect.stringContaining("gives region ap-south 50%") as string }]);
    expect(status.problems.map((p) => p.code)).toEqual(["WeightedRegionWithoutEndpoints"]);
    expect(applied(status)).toBe("True Applied");
    expect(status.conditions[0]?.message).toBe("Applied in 3 of 3 clusters; 1 warning in status.problems");
  });

  test("is Pending until every cluster is written", () => {
    const fleet = new Fleet(graph({ dependencies: [checkout], policies: [weighted] })).reconcileAll().unwritten("b", "payments").unwritten("c", "payments");
    const status = policyStatus(fleet.view(), weighted);
    expect([status.fields["appliedClusters"], status.fields["totalClusters"]]).toEqual([1, 3]);
    expect(applied(status)).toBe("False Pending");
    expect(status.conditions[0]?.message).toBe("Applied in 1 of 3 clusters; waiting for b, c");
  });

  test("the policy that loses a conflict is applied nowhere and says which policy applies", () => {
    const older = policy("older", { identity: "payments", createdAt: "2026-01-01T00:00:00Z" });
    const newer = policy("newer", { identity: "payments", createdAt: "2026-02-01T00:00:00Z" });
    const view = new Fleet(graph({ policies: [newer, older] })).reconcileAll().view();
    const loser = policyStatus(view, newer);
    expect(applied(loser)).toBe("False PolicyConflict");
    expect(loser.conditions[0]?.message).toMatch(/^TrafficPolicy apps\/newer is ignored for identity payments, every env: TrafficPolicy apps\/older applies/);
    expect([loser.fields["appliedClusters"], loser.fields["totalClusters"]]).toEqual([0, 2]);
    const winner = policyStatus(view, older);
    expect(applied(winner)).toBe("True Applied");
    expect(winner.problems.map((p) => p.code)).toEqual(["PolicyConflict"]);
  });

  test("an env-specific policy takes its env from an env-less one", () => {
    const fleet = new Fleet(graph({ workloads: [workload("payments", "a"), workload("payments", "c", { env: "prod" })] })).reconcileAll();
    const everyEnv = policy("every-env", { identity: "payments" });
    const prod = policy("prod", { identity: "payments", env: "prod" });
    const view = new Fleet({ ...fleet.snapshot, policies: [everyEnv, prod] }).reconcileAll().view();
    expect(policyStatus(view, everyEnv).fields).toEqual({ appliedClusters: 1, totalClusters: 1 });
    expect(policyStatus(view, prod).fields).toEqual({ appliedClusters: 1, totalClusters: 1 });
    const onlyProd = new Fleet(graph({ workloads: [workload("payments", "c", { env: "prod" })], policies: [everyEnv, prod] })).reconcileAll().view();
    const overridden = policyStatus(onlyProd, everyEnv);
    expect(applied(overridden)).toBe("False NothingToApply");
    expect(overridden.conditions[0]?.message).toBe("Every env of identity payments that runs has an env-specific TrafficPolicy, which applies instead");
  });

  test("a policy for an identity that runs nowhere, or has no ready endpoint, applies to nothing", () => {
    const ghost = policy("ghost", { identity: "ghost" });
    const idle = policy("idle", { identity: "idle" });
    const view = new Fleet(graph({ policies: [ghost, idle], workloads: [...graph().workloads, workload("idle", "a", { ready: 0 })] })).reconcileAll().view();
    const none = policyStatus(view, ghost);
    expect(applied(none)).toBe("False NothingToApply");
    expect(none.conditions[0]?.message).toMatch(/names identity ghost, which runs in no registered cluster; the policy applies to nothing$/);
    expect(none.fields["problems"]).toEqual([{ code: "PolicyIdentityNotRunning", message: none.conditions[0]?.message }]);
    const notReady = policyStatus(view, idle);
    expect(notReady.conditions[0]?.message).toBe("No cluster has a DestinationRule for identity idle: it has no ready endpoints in any cluster");
  });

  test("the status body passes the zod schema and the CRD's schema", () => {
    const status = policyStatus(new Fleet(graph({ policies: [weighted] })).view(), weighted);
    const body = statusBody(status, { generation: 1 }, new Date("2026-05-01T12:00:00Z"));
    expect(TrafficPolicyStatusSchema.safeParse(body).success).toBe(true);
    const object = { apiVersion: "meridian.dev/v1alpha1", kind: "TrafficPolicy", metadata: { name: "payments", namespace: NAMESPACE }, spec: { identity: "payments", mode: "Topology" }, status: body };
    const verdict = crdValidator(loadCrd("trafficpolicies"))(object);
    expect(verdict.errors).toEqual([]);
    expect(verdict.object).toEqual(object);
  });
});
