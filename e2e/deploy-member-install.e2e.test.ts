// The member chart installed with `helm install` in a member, then registered with
// `meridian cluster register --use-given-credentials` and a token of the chart's ServiceAccount, so
// that Helm keeps owning the RBAC (a plain `register` would re-apply it with Meridian's own label and
// Helm's next upgrade would conflict). Leaves the member's RBAC as the other tests expect it.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { applyAll, deployHelm, identityOf, renderObjects, type ChartIdentity } from "./deploy-support.js";
import type { Helm } from "./harness/helm.js";
import { CHARTS, helmRun } from "./harness/helm-chart.js";
import { controlPlanes, statusOf, type ConnectedControlPlane } from "./support/clusters.js";
import { meridian } from "./support/meridian-cli.js";
import type { KubernetesObject } from "@kubernetes/client-node";

const RELEASE = "meridian-member";

function present(plane: ConnectedControlPlane | undefined): ConnectedControlPlane {
  if (plane === undefined) throw new Error("The e2e global setup provided fewer than three control planes.");
  return plane;
}

function header(object: KubernetesObject): { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } } {
  const { name = "", namespace } = object.metadata ?? {};
  return { apiVersion: object.apiVersion ?? "", kind: object.kind ?? "", metadata: { name, ...(namespace === undefined ? {} : { namespace }) } };
}
const CLUSTER = "deploy-helm-member";

describe("the member chart with helm, registered with the chart's ServiceAccount token", () => {
  const planes = controlPlanes();
  const home = present(planes[0]);
  const member = present(planes[2]);
  let helm: Helm;
  let rbac: KubernetesObject[] = [];
  let identity: ChartIdentity | undefined;
  const run = (...args: string[]) => helmRun(helm, [...args, "--namespace", "meridian-system", "--kubeconfig", member.info.kubeconfig]);
  const HOME = ["--home-kubeconfig", home.info.kubeconfig];

  beforeAll(async () => {
    helm = await deployHelm();
    // The harness made meridian-sync; registration tests may have applied the RBAC without Helm: start clean.
    rbac = (await renderObjects(CHARTS.member, { release: RELEASE })).filter((object) => object.kind !== "Namespace");
    await run("uninstall", RELEASE, "--ignore-not-found");
    for (const object of rbac) await statusOf(member.objects.delete(object));
  });

  afterAll(async () => {
    await identity?.dispose();
    await meridian("cluster", "remove", CLUSTER, ...HOME);
    await run("uninstall", RELEASE, "--ignore-not-found");
    // As other e2e files may expect to find it: the member RBAC, applied without Helm.
    await applyAll(member, rbac);
  });

  test("helm install: the chart's objects, owned by Helm", async () => {
    expect(await run("install", RELEASE, CHARTS.member, "--set", "createSyncNamespace=false")).toContain("STATUS: deployed");
    const account = await member.objects.read({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "meridian", namespace: "meridian-system" } });
    expect(account.metadata?.labels?.["app.kubernetes.io/managed-by"]).toBe("Helm");
    expect(account.metadata?.annotations?.["meta.helm.sh/release-name"]).toBe(RELEASE);
  });

  test("register --use-given-credentials with the ServiceAccount's token: verified, nothing written in the member", async () => {
    identity = await identityOf(member, {
      namespace: "meridian-system",
      serviceAccount: "meridian",
      objects: rbac,
      probe: { verb: "create", group: "networking.istio.io", resource: "serviceentries", namespace: "meridian-sync" },
    });
    const args = ["cluster", "register", CLUSTER, "--kubeconfig", identity.kubeconfigFile, "--use-given-credentials", "--region", "r1", "--zone", "r1a", ...HOME];
    const registered = await meridian(...args);
    expect(registered.code, registered.stderr).toBe(0);
    expect(registered.stdout).toContain("every required permission granted, nothing in excess");
    expect(registered.stdout).toContain("nothing written (--use-given-credentials)");
  });

  test("helm upgrade and uninstall still work: Helm kept the objects", async () => {
    expect(await run("upgrade", RELEASE, CHARTS.member, "--set", "createSyncNamespace=false")).toContain("STATUS: deployed");
    await run("uninstall", RELEASE);
    for (const object of rbac) expect(await statusOf(member.objects.read(header(object)))).toBe(404);
  });
});
