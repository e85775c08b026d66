import { describe, expect, it } from "vitest";
import { register as globalRegistry } from "prom-client";

import {
  createMetrics,
  forgetCluster,
  forgetDrill,
  recordApiWrite,
  recordClusterState,
  recordConvergence,
  recordDrillPhase,
  recordOwnedObjects,
  recordProblems,
  recordQueueStats,
  recordReconcile,
} from "./metrics.js";

async function exposition(metrics: ReturnType<typeof createMetrics>): Promise<string> {
  return metrics.registry.metrics();
}

describe("createMetrics", () => {
  it("registers Meridian's metrics on a registry of its own, with Node's defaults", async () => {
    const metrics = createMetrics();
    const names = (await metrics.registry.getMetricsAsJSON()).map((metric) => metric.name);
    expect(names).toEqual(
      expect.arrayContaining([
        "meridian_reconcile_duration_seconds",
        "meridian_reconciles_total",
        "meridian_queue_jobs",
        "meridian_queue_oldest_waiting_seconds",
        "meridian_api_writes_total",
        "meridian_cluster_up",
        "meridian_cluster_synced",
        "meridian_convergence_seconds",
        "meridian_owned_objects",
        "meridian_drill_phase",
        "meridian_problems",
        "process_cpu_seconds_total",
        "nodejs_eventloop_lag_seconds",
      ]),
    );
    expect(await globalRegistry.getMetricsAsJSON()).toEqual([]);
  });

  it("can be created twice in one process (one registry each)", () => {
    expect(() => [createMetrics({ defaultMetrics: false }), createMetrics({ defaultMetrics: false })]).not.toThrow();
  });
});

describe("recording", () => {
  it("reconciles: duration in seconds and outcome counts", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    recordReconcile(metrics, { cluster: "eu-west", outcome: "changed", durationMs: 120 });
    recordReconcile(metrics, { cluster: "eu-west", outcome: "changed", durationMs: 30 });
    const text = await exposition(metrics);
    expect(text).toContain('meridian_reconciles_total{cluster="eu-west",outcome="changed"} 2');
    expect(text).toContain('meridian_reconcile_duration_seconds_sum{cluster="eu-west",outcome="changed"} 0.15');
    expect(text).toContain('meridian_reconcile_duration_seconds_bucket{le="0.05",cluster="eu-west",outcome="changed"} 1');
  });

  it("queue stats, API writes, cluster state, convergence, owned objects", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    recordQueueStats(metrics, [{ cluster: "eu-west", waiting: 3, active: 1, delayed: 2, failed: 0, oldestWaitingMs: 1500 }]);
    recordApiWrite(metrics, { cluster: "eu-west", kind: "ServiceEntry", verb: "apply" });
    recordApiWrite(metrics, { cluster: "eu-west", kind: "ServiceEntry", verb: "apply" }, 2);
    recordClusterState(metrics, { cluster: "eu-west", up: true, synced: false });
    recordConvergence(metrics, { cluster: "eu-west", observedAt: 1_000, writtenAt: 3_500 });
    recordOwnedObjects(metrics, "eu-west", { ServiceEntry: 12, DestinationRule: 0 });
    const text = await exposition(metrics);
    expect(text).toContain('meridian_queue_jobs{cluster="eu-west",state="waiting"} 3');
    expect(text).toContain('meridian_queue_jobs{cluster="eu-west",state="failed"} 0');
    expect(text).toContain('meridian_queue_oldest_waiting_seconds{cluster="eu-west"} 1.5');
    expect(text).toContain('meridian_api_writes_total{cluster="eu-west",kind="ServiceEntry",verb="apply"} 3');
    expect(text).toContain('meridian_cluster_up{cluster="eu-west"} 1');
    expect(text).toContain('meridian_cluster_synced{cluster="eu-west"} 0');
    expect(text).toContain('meridian_convergence_seconds_sum{cluster="eu-west"} 2.5');
    expect(text).toContain('meridian_owned_objects{cluster="eu-west",kind="DestinationRule"} 0');
  });

  it("drill phase: one series per phase, the current one 1; forgotten with the drill", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    recordDrillPhase(metrics, { namespace: "ops", name: "evacuate-us-east", phase: "Preflight" });
    recordDrillPhase(metrics, { namespace: "ops", name: "evacuate-us-east", phase: "Holding" });
    let text = await exposition(metrics);
    expect(text).toContain('meridian_drill_phase{namespace="ops",name="evacuate-us-east",phase="Holding"} 1');
    expect(text).toContain('meridian_drill_phase{namespace="ops",name="evacuate-us-east",phase="Preflight"} 0');
    forgetDrill(metrics, { namespace: "ops", name: "evacuate-us-east" });
    text = await exposition(metrics);
    expect(text).not.toContain('name="evacuate-us-east"');
  });

  it("problems: replaced as a whole, so resolved codes disappear", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    recordProblems(metrics, { GatewayMissing: 2, PortConflict: 1 });
    recordProblems(metrics, { PortConflict: 3 });
    const text = await exposition(metrics);
    expect(text).toContain('meridian_problems{code="PortConflict"} 3');
    expect(text).not.toContain("GatewayMissing");
  });

  it("forgetCluster drops every series of that cluster and no other", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    for (const cluster of ["eu-west", "us-east"]) {
      recordReconcile(metrics, { cluster, outcome: "unchanged", durationMs: 5 });
      recordQueueStats(metrics, [{ cluster, waiting: 0, active: 0, delayed: 0, failed: 0, oldestWaitingMs: 0 }]);
      recordApiWrite(metrics, { cluster, kind: "DestinationRule", verb: "delete" });
      recordClusterState(metrics, { cluster, up: true, synced: true });
      recordConvergence(metrics, { cluster, observedAt: 0, writtenAt: 10 });
      recordOwnedObjects(metrics, cluster, { ServiceEntry: 1 });
    }
    await forgetCluster(metrics, "eu-west");
    const text = await exposition(metrics);
    expect(text).not.toContain('cluster="eu-west"');
    expect(text.match(/cluster="us-east"/g)?.length).toBeGreaterThan(20);
  });
});
