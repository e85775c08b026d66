// A member of this file's own (east-2, a control plane started here, with Argo Rollouts' CRD and an
// east-west gateway Service), beside east-1 (the home cluster) and west-1. Its workloads may run as
// Rollouts; its gateway address follows the Service's load balancer. Its API server goes away and comes
// back without a restart of the registry: Connected=False within 30 s while the other members keep
// syncing, then recovery (Connected, Synced, changes seen). Also a frozen server (SIGSTOP) and the
// watchdog that restarts silent watches.
import { PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";
import type { KubernetesObject } from "@kubernetes/client-node";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";

import { startControlPlane } from "./harness/index.js";
import type { ControlPlane } from "./harness/index.js";
import { connect, controlPlanes } from "./support/clusters.js";
import type { ConnectedControlPlane } from "./support/clusters.js";
import { apply, conditionsOf, memberCredentials, register, unregisterAll, waitForConditions } from "./support/federation-members.js";
import { identitiesSince, printFederationLog, settle, startFederation, suffix, waitForGraph, workloadsOf } from "./support/federation-runtime.js";
import type { RunningFederation } from "./support/federation-runtime.js";
import { applyWorkload, deleteWorkloadsIn, ensureNamespace, setReady } from "./support/federation-workloads.js";
import { waitUntil } from "./harness/wait-until.js";
import { DEFAULT_REGISTRY_TIMING } from "../federation/registry/registry-options.js";
import { DEFAULT_WATCH_TIMING } from "../federation/watch/watch-timing.js";

const ALL_TRUE = { Connected: "True Connected", CredentialsValid: "True Authenticated", PermissionsVerified: "True Verified", Synced: "True Synced" };

/** client-node serializes a CRD by its model, whose name for x-kubernetes-preserve-unknown-fields is this. */
const OPAQUE = { type: "object", x_kubernetes_preserve_unknown_fields: true };

/** Argo Rollouts' CRD, reduced to what the API server needs to serve the kind. */
const ROLLOUT_CRD = {
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  metadata: { name: "rollouts.argoproj.io" },
  spec: {
    group: "argoproj.io",
    names: { kind: "Rollout", plural: "rollouts", singular: "rollout", listKind: "RolloutList" },
    scope: "Namespaced",
    versions: [{ name: "v1alpha1", served: true, storage: true, schema: { openAPIV3Schema: { type: "object", properties: { spec: OPAQUE, status: OPAQUE } } } }],
  },
} as KubernetesObject;

describe("federation: a member of its own (Rollouts, gateway Service, outages)", () => {
  const [home, other] = controlPlanes();
  if (home === undefined || other === undefined) throw new Error("The e2e setup provides three control planes.");
  const id = suffix();
  let own: ControlPlane | undefined;
  let east2: ConnectedControlPlane | undefined;
  let federation: RunningFederation | undefined;
  const fed = (): RunningFederation => {
    if (federation === undefined) throw new Error("The federation did not start.");
    return federation;
  };
  const member = (): ConnectedControlPlane => {
    if (east2 === undefined) throw new Error("The member control plane did not start.");
    return east2;
  };

  beforeAll(async () => {
    own = await startControlPlane({ name: `fed-${id}` });
    const { name, server, kubeconfig, adminToken, logFiles } = own;
    east2 = connect({ name, server, kubeconfig, adminToken, logFiles: [...logFiles] });
    await apply(east2.objects, ROLLOUT_CRD);
    const objects = east2.objects;
    await waitUntil(async () => (await objects.list("argoproj.io/v1alpha1", "Rollout")).items.length >= 0, { what: "Rollouts to be served", timeoutMs: 30_000, intervalMs: 250 });
    await unregisterAll(home);
    const [east1Credentials, east2Credentials, west1Credentials] = await Promise.all([memberCredentials(home), memberCredentials(east2), memberCredentials(other)]);
    await register(home, "east-1", east1Credentials, { region: "us-east" });
    await register(home, "east-2", east2Credentials, { region: "us-east", gateway: { serviceRef: { namespace: "istio-system", name: "eastwest" } } });
    await register(home, "west-1", west1Credentials, { region: "us-west" });
    // The registry's default timing (probe every 10 s, 10 s request deadline, watchdog at 90 s).
    federation = await startFederation(home.kubeConfig, DEFAULT_REGISTRY_TIMING);
    for (const cluster of ["east-1", "east-2", "west-1"]) await waitForConditions(home, cluster, ALL_TRUE);
  });

  afterAll(async () => {
    federation?.stop();
    await unregisterAll(home);
    await deleteWorkloadsIn(home, `fed-${id}-`);
    await deleteWorkloadsIn(other, `fed-${id}-`);
    await own?.stop();
  });

  beforeEach(({ onTestFailed }) => onTestFailed(() => printFederationLog(federation)));

  test("a workload run by an Argo Rollout is in the graph; the gateway address follows the gateway Service's load balancer", async () => {
    const checkout = `checkout-${id}`;
    const namespace = `fed-${id}-ro`;
    await ensureNamespace(member(), namespace);
    await apply(member().objects, { apiVersion: "v1", kind: "Service", metadata: { name: "checkout", namespace }, spec: { selector: { app: "checkout" }, ports: [{ name: "grpc", port: 9000 }] } } as KubernetesObject);
    await apply(member().objects, {
      apiVersion: "argoproj.io/v1alpha1",
      kind: "Rollout",
      metadata: { name: "checkout", namespace },
      spec: { selector: { matchLabels: { app: "checkout" } }, template: { metadata: { labels: { app: "checkout", identity: checkout } } } },
    } as KubernetesObject);
    await setReady(member(), { namespace, name: "checkout", identity: checkout, ready: 2 });
    await waitForGraph(fed(), "the Rollout's workload", (s) => workloadsOf(s, checkout).some((w) => w.cluster === "east-2" && w.readyByZone["zone-a"] === 2));
    expect(fed().graph.snapshot().clusters.find((c) => c.name === "east-2")?.gateway).toBeUndefined();
    const mark = await settle(fed());

    await ensureNamespace(member(), "istio-system");
    await apply(member().objects, {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "eastwest", namespace: "istio-system" },
      spec: { type: "LoadBalancer", selector: { istio: "eastwestgateway" }, ports: [{ name: "tls", port: 15443 }] },
    } as KubernetesObject);
    await member().core.patchNamespacedServiceStatus(
      { namespace: "istio-system", name: "eastwest", body: { status: { loadBalancer: { ingress: [{ ip: "203.0.113.5" }] } } } },
      setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
    );
    await waitForGraph(fed(), "east-2's gateway address", (s) => s.clusters.find((c) => c.name === "east-2")?.gateway?.address === "203.0.113.5");
    expect(fed().graph.snapshot().clusters.find((c) => c.name === "east-2")?.gateway).toEqual({ address: "203.0.113.5", port: 15443 });
    await settle(fed());
    // Every identity with a workload in east-2 is re-planned: remote endpoints point at the gateway.
    expect(identitiesSince(fed(), mark)).toEqual([checkout]);
  });

  test("stopped: Connected=False within 30 s, the others keep syncing; restarted: recovers and sees changes", async () => {
    const before = `before-${id}`;
    await applyWorkload(member(), { namespace: `fed-${id}-a`, name: "svc", identity: before, ready: 1 });
    await waitForGraph(fed(), "east-2's workload", (s) => workloadsOf(s, before).length === 1);

    const stopped = Date.now();
    await own?.stopApiServer();
    console.log(JSON.stringify({ figure: "SIGTERM to kube-apiserver exited", ms: Date.now() - stopped }));
    await waitForConditions(home, "east-2", { Connected: "False Unreachable" }, 30_000);
    const toDisconnected = Date.now() - stopped;
    console.log(JSON.stringify({ figure: "stopped API server to Connected=False", ms: toDisconnected }));
    expect(toDisconnected).toBeLessThan(30_000);

    // The other members keep syncing: a change in west-1 reaches the graph.
    const elsewhere = `elsewhere-${id}`;
    await applyWorkload(other, { namespace: `fed-${id}-a`, name: "svc", identity: elsewhere, ready: 1 });
    await waitForGraph(fed(), "west-1's new workload while east-2 is down", (s) => workloadsOf(s, elsewhere).length === 1);
    for (const cluster of ["east-1", "west-1"]) expect(await conditionsOf(home, cluster)).toEqual(ALL_TRUE);
    // East-2's last synced workloads stay in the graph while it is away.
    expect(workloadsOf(fed().graph.snapshot(), before)).toHaveLength(1);
    await waitForConditions(home, "east-2", { Synced: "False WatchFailed" }, 30_000);

    const restarted = Date.now();
    await own?.restartApiServer();
    await waitForConditions(home, "east-2", ALL_TRUE, 60_000);
    console.log(JSON.stringify({ figure: "restarted API server to Connected and Synced", ms: Date.now() - restarted }));
    const after = `after-${id}`;
    await applyWorkload(member(), { namespace: `fed-${id}-a`, name: "svc2", identity: after, ready: 1 });
    await waitForGraph(fed(), "east-2's workload after the restart", (s) => workloadsOf(s, after).length === 1);
  }, 180_000);

  test("frozen (SIGSTOP: connections stay open, nothing answers): Connected=False; thawed: recovers", async () => {
    const apiserver = own?.processes.find((p) => p.name === "kube-apiserver");
    if (apiserver === undefined) throw new Error("No kube-apiserver process.");
    const frozen = Date.now();
    process.kill(apiserver.pid, "SIGSTOP");
    try {
      await waitForConditions(home, "east-2", { Connected: "False Unreachable" }, 30_000);
      console.log(JSON.stringify({ figure: "frozen API server to Connected=False", ms: Date.now() - frozen }));
      await waitForConditions(home, "east-2", { Synced: "False WatchFailed" }, 60_000);
      console.log(JSON.stringify({ figure: "frozen API server to Synced=False", ms: Date.now() - frozen }));
      for (const cluster of ["east-1", "west-1"]) expect(await conditionsOf(home, cluster)).toEqual(ALL_TRUE);
    } finally {
      process.kill(apiserver.pid, "SIGCONT");
    }
    const thawed = Date.now();
    await waitForConditions(home, "east-2", ALL_TRUE, 90_000);
    console.log(JSON.stringify({ figure: "thawed API server to Connected and Synced", ms: Date.now() - thawed }));
    const later = `thawed-${id}`;
    await applyWorkload(member(), { namespace: `fed-${id}-a`, name: "svc3", identity: later, ready: 1 });
    await waitForGraph(fed(), "east-2's workload after the thaw", (s) => workloadsOf(s, later).length === 1);
  }, 240_000);

  test("the watchdog restarts watches that stay silent longer than its threshold, and no change is lost across restarts", async () => {
    // A threshold under client-node's 30 s reconnect of quiet watches makes every quiet watch "silent".
    federation?.stop();
    federation = await startFederation(home.kubeConfig, { watch: { ...DEFAULT_WATCH_TIMING, silentMs: 3_000 } });
    const silent = (): number => fed().logLines.filter((line) => line.includes('"failure":"Silent"') && line.includes('"cluster":"west-1"')).length;
    await expect.poll(silent, { timeout: 20_000, interval: 250 }).toBeGreaterThan(4);
    const identities = [1, 2, 3].map((n) => `watched-${n}-${id}`);
    for (const identity of identities) {
      await applyWorkload(other, { namespace: `fed-${id}-w`, name: identity, identity, ready: 1 });
      await new Promise((resolve) => setTimeout(resolve, 2_500));
    }
    await waitForGraph(fed(), "every workload created across watchdog restarts", (s) => identities.every((identity) => workloadsOf(s, identity).length === 1));
    await waitForConditions(home, "west-1", { Connected: "True Connected", CredentialsValid: "True Authenticated" });
  }, 120_000);
});
