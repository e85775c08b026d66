import { describe, expect, test } from "vitest";

import { ServiceDependencyStatusSchema } from "../../crds/index.js";
import { loadCrd } from "../../crds/fixtures/index.js";
import { crdValidator } from "../../crds/testing/crd-validator.js";
import { dependencyStatus } from "./dependency-status.js";
import { statusBody } from "./object-status.js";
import { Fleet, NAMESPACE, dependency, graph, workload } from "./testing/fleet-fixture.js";

const checkout = dependency("checkout", { identity: "checkout" }, [
  { identity: "payments" },
  { identity: "ghost" },
  { identity: "ledger", env: "canary" },
  { identity: "ledger", env: "prod" },
]);

const conditions = (status: ReturnType<typeof dependencyStatus>): Record<string, string> =>
  Object.fromEntries(status.conditions.map((c) => [c.type, `${c.status} ${c.reason}`]));

const validate = crdValidator(loadCrd("servicedependencies"));

describe("dependencyStatus", () => {
  test("lists resolved hosts and unresolved destinations with the reason, and counts the source's written clusters", () => {
    const fleet = new Fleet(graph({ dependencies: [checkout] })).reconcileAll();
    const status = dependencyStatus(fleet.view(), checkout);
    expect(status.fields).toEqual({
      resolved: [
        { identity: "payments", env: "default" },
        { identity: "ledger", env: "prod" },
      ],
      unresolved: [
        { identity: "ghost", reason: "identity ghost runs in no registered cluster" },
        { identity: "ledger", env: "canary", reason: "env canary of identity ledger runs in no registered cluster (it runs only in env prod)" },
      ],
      clustersWritten: 1,
    });
    expect(conditions(status)).toEqual({ Resolved: "False UnresolvedDestinations", Synced: "True Synced" });
    expect(status.conditions[0]?.message).toBe(
      "2 of 4 destinations do not resolve: identity ghost runs in no registered cluster; env canary of identity ledger runs in no registered cluster (it runs only in env prod). Nothing is written for them until they run",
    );
    expect(status.conditions[1]?.message).toBe("Written in 1 of 1 cluster where the source identity checkout runs");
  });

  test("the planner reports an UnknownDestination on the dependency for each unresolved destination", () => {
    const status = dependencyStatus(new Fleet(graph({ dependencies: [checkout] })).view(), checkout);
    expect(status.problems.map((p) => [p.code, p.object.name])).toEqual([
      ["UnknownDestination", "checkout"],
      ["UnknownDestination", "checkout"],
    ]);
    const messages = status.problems.map((p) => p.message);
    expect(messages.some((m) => m.includes("names identity ghost,"))).toBe(true);
    expect(messages.some((m) => m.includes("names env canary of identity ledger,"))).toBe(true);
  });

  test("a cluster is written only when every resolved destination's objects there are", () => {
    const fleet = new Fleet(graph({ dependencies: [checkout], workloads: [...graph().workloads, workload("checkout", "c")] })).reconcileAll();
    fleet.unwritten("b", "ledger");
    const status = dependencyStatus(fleet.view(), checkout);
    expect(status.fields["clustersWritten"]).toBe(1);
    expect(conditions(status)["Synced"]).toBe("False Pending");
    expect(status.conditions[1]?.message).toBe("Written in 1 of 2 clusters where the source identity checkout runs; waiting for b");
    fleet.reconcile("b", "ledger");
    expect(dependencyStatus(fleet.view(), checkout).fields["clustersWritten"]).toBe(2);
  });

  test("a destination with nothing to write anywhere counts as written (both digests absent)", () => {
    const idle = dependency("idle", { identity: "checkout" }, [{ identity: "idle" }]);
    const fleet = new Fleet(graph({ dependencies: [idle], workloads: [...graph().workloads, workload("idle", "a", { ready: 0 })] })).reconcileAll();
    const status = dependencyStatus(fleet.view(), idle);
    expect(status.fields).toEqual({ resolved: [{ identity: "idle", env: "default" }], clustersWritten: 1 });
    expect(conditions(status)).toEqual({ Resolved: "True Resolved", Synced: "True Synced" });
  });

  test("says so when the source runs nowhere, and when no destination resolves", () => {
    const orphan = dependency("orphan", { identity: "nobody", env: "prod" }, [{ identity: "payments" }]);
    const lost = dependency("lost", { identity: "checkout" }, [{ identity: "ghost" }]);
    const view = new Fleet(graph({ dependencies: [orphan, lost] })).reconcileAll().view();
    const orphaned = dependencyStatus(view, orphan);
    expect(conditions(orphaned)).toEqual({ Resolved: "True Resolved", Synced: "False SourceNotRunning" });
    expect(orphaned.conditions[1]?.message).toBe("The source identity nobody (env prod) runs in no registered cluster, so nothing is written for this dependency");
    expect(orphaned.fields["clustersWritten"]).toBe(0);
    const nothing = dependencyStatus(view, lost);
    expect(conditions(nothing)).toEqual({ Resolved: "False UnresolvedDestinations", Synced: "True NothingToWrite" });
    expect(nothing.fields["clustersWritten"]).toBe(1);
  });

  test("* resolves to one entry and every identity that runs must be written where the source runs", () => {
    const all = dependency("all", { identity: "checkout" }, [{ identity: "*" }]);
    const fleet = new Fleet(graph({ dependencies: [all] })).reconcileAll();
    const status = dependencyStatus(fleet.view(), all);
    expect(status.fields).toEqual({ resolved: [{ identity: "*", env: "*" }], clustersWritten: 1 });
    expect(conditions(status)).toEqual({ Resolved: "True Wildcard", Synced: "True Synced" });
    fleet.unwritten("b", "ledger");
    expect(dependencyStatus(fleet.view(), all).fields["clustersWritten"]).toBe(0);
    const prodOnly = dependency("prod", { identity: "checkout" }, [{ identity: "*", env: "prod" }]);
    const scoped = dependencyStatus(fleet.view(), prodOnly);
    expect(scoped.fields["resolved"]).toEqual([{ identity: "*", env: "prod" }]);
    expect(scoped.conditions[0]?.message).toBe("Destination * stands for every identity in env prod that runs in a registered cluster, now and later");
  });

  test("the status body passes the zod schema and the CRD's schema", () => {
    const status = dependencyStatus(new Fleet(graph({ dependencies: [checkout] })).view(), checkout);
    const body = statusBody(status, { generation: 3 }, new Date("2026-05-01T12:00:00.123Z"));
    expect(ServiceDependencyStatusSchema.safeParse(body).success).toBe(true);
    const object = { apiVersion: "meridian.dev/v1alpha1", kind: "ServiceDependency", metadata: { name: "checkout", namespace: NAMESPACE }, spec: { source: { identity: "checkout" }, destinations: [{ identity: "payments" }] }, status: body };
    expect(validate(object).errors).toEqual([]);
    expect(validate(object).object).toEqual(object);
  });
});
