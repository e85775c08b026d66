// `helm install`, `helm upgrade` and `helm uninstall` of the home chart against a real API server:
// what a user runs, end to end (no controller-manager runs, so no pods start; the objects are real).
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { deployHelm } from "./deploy-support.js";
import type { Helm } from "./harness/helm.js";
import { CHARTS, helmRun } from "./harness/helm-chart.js";
import { installServiceMonitorCrd } from "./deploy-dry-run.js";
import { firstControlPlane, statusOf } from "./support/clusters.js";

// A release and namespace of its own, so it cannot collide with the objects other tests install.
const RELEASE = "meridian-e2e";
const NAMESPACE = "meridian-helm-e2e";

describe("helm install / upgrade / uninstall of the home chart", () => {
  const plane = firstControlPlane();
  let helm: Helm;
  const run = (...args: string[]) => helmRun(helm, [...args, "--namespace", NAMESPACE, "--kubeconfig", plane.info.kubeconfig]);
  const deployment = (name: string) => ({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name, namespace: NAMESPACE } });

  beforeAll(async () => {
    helm = await deployHelm();
    await installServiceMonitorCrd(plane);
    // Re-running against the same servers: start from no release.
    await run("uninstall", RELEASE, "--ignore-not-found");
  });

  afterAll(async () => {
    await run("uninstall", RELEASE, "--ignore-not-found");
  });

  test("install with default values creates the objects (the harness installed the CRDs already: Helm leaves them)", async () => {
    const output = await run("install", RELEASE, CHARTS.meridian, "--create-namespace", "--set", "redis.existingSecret.name=meridian-redis");
    expect(output).toContain("STATUS: deployed");
    const created = await plane.objects.read(deployment("meridian-e2e-controller"));
    expect(created.metadata?.annotations?.["meta.helm.sh/release-name"]).toBe(RELEASE);
    expect(await statusOf(plane.objects.read({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "meridian-e2e-controller", namespace: NAMESPACE } }))).toBeUndefined();
    const crd = await plane.objects.read({ apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition", metadata: { name: "meshclusters.meridian.dev" } });
    expect(crd.metadata?.annotations?.["meta.helm.sh/release-name"]).toBeUndefined();
  });

  test("upgrade to every option on replaces them, and a bad value is refused before anything changes", async () => {
    const refused = await run("upgrade", RELEASE, CHARTS.meridian, "--set", "replicaCount=two").catch((err: Error) => err.message);
    expect(refused).toContain("at '/replicaCount': got string, want integer");
    await run("upgrade", RELEASE, CHARTS.meridian, "--values", join(CHARTS.meridian, "ci", "all-options-values.yaml"));
    expect(await statusOf(plane.objects.read(deployment("mesh-control-controller")))).toBeUndefined();
    expect(await statusOf(plane.objects.read(deployment("mesh-control-redis")))).toBeUndefined();
    expect(await statusOf(plane.objects.read(deployment("meridian-e2e-controller")))).toBe(404);
    expect(await run("status", RELEASE)).toContain("STATUS: deployed");
  });

  test("uninstall removes every object of the release", async () => {
    await run("uninstall", RELEASE);
    for (const name of ["mesh-control-controller", "mesh-control-redis"]) expect(await statusOf(plane.objects.read(deployment(name)))).toBe(404);
    const clusterRole = { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name: "mesh-control-controller" } };
    expect(await statusOf(plane.objects.read(clusterRole))).toBe(404);
  });
});
