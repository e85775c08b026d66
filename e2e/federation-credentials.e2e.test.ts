// Member credentials through the registry: a rotation (new ServiceAccount token in the Secret, the old
// one revoked) keeps the cluster Connected and loses no change; broken Secrets, a missing Secret, a
// kubeconfig with the wrong CA and credentials lacking a permission each get the documented condition.
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import type { KubernetesObject } from "@kubernetes/client-node";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";

import { requestToken, setUpMember } from "../federation/registration/member-setup.js";
import { controlPlanes, statusOf } from "./support/clusters.js";
import {
  apply,
  caDataOf,
  conditionMessage,
  conditionsOf,
  memberCredentials,
  register,
  tokenKubeconfigYaml,
  unregisterAll,
  waitForAccess,
  waitForConditions,
  writeSecret,
} from "./support/federation-members.js";
import { printFederationLog, startFederation, suffix, waitForGraph, workloadsOf } from "./support/federation-runtime.js";
import type { RunningFederation } from "./support/federation-runtime.js";
import { applyWorkload, deleteWorkloadsIn } from "./support/federation-workloads.js";

const ALL_TRUE = { Connected: "True Connected", CredentialsValid: "True Authenticated", PermissionsVerified: "True Verified", Synced: "True Synced" };
const base64 = (text: string): string => Buffer.from(text).toString("base64");

describe("federation: member credentials", () => {
  const [home, eu, ap] = controlPlanes();
  if (home === undefined || eu === undefined || ap === undefined) throw new Error("The e2e setup provides three control planes.");
  const id = suffix();
  let federation: RunningFederation | undefined;
  const fed = (): RunningFederation => {
    if (federation === undefined) throw new Error("The federation did not start.");
    return federation;
  };

  beforeAll(async () => {
    await unregisterAll(home);
    const [east1, east2] = await Promise.all([memberCredentials(home), memberCredentials(eu)]);
    await register(home, "east-1", east1, { region: "us-east" });
    await register(home, "east-2", east2, { region: "us-east" });
    federation = await startFederation(home.kubeConfig);
    for (const cluster of ["east-1", "east-2"]) await waitForConditions(home, cluster, ALL_TRUE);
  });

  afterAll(async () => {
    federation?.stop();
    await unregisterAll(home);
    await deleteWorkloadsIn(home, `fed-${id}-`);
    await deleteWorkloadsIn(eu, `fed-${id}-`);
    await deleteWorkloadsIn(ap, `fed-${id}-`);
  });

  beforeEach(({ onTestFailed }) => onTestFailed(() => printFederationLog(federation)));

  test("rotated credentials (new token, old ServiceAccount deleted) keep the cluster Connected, and a change made right after is seen", async () => {
    const seen = new Set<string>();
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        seen.add((await conditionsOf(home, "east-2"))["Connected"] ?? "absent");
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    })();
    const core = eu.kubeConfig.makeApiClient(CoreV1Api);
    const oldToken = (await requestToken(eu.kubeConfig)).token;
    // Revoke every token of the ServiceAccount: delete it and create it again (a new UID).
    await core.deleteNamespacedServiceAccount({ namespace: "meridian-system", name: "meridian" });
    await setUpMember(eu.kubeConfig, false);
    const { token } = await requestToken(eu.kubeConfig);
    await waitForAccess(eu, token);
    const swapsBefore = fed().logLines.filter((line) => line.includes("Swapped to new watches")).length;
    await writeSecret(home, "meridian-member-east-2", { kubeconfig: base64(tokenKubeconfigYaml(eu.info.server, caDataOf(eu.kubeConfig), token)) });
    const identity = `rotated-${id}`;
    await applyWorkload(eu, { namespace: `fed-${id}-rot`, name: "svc", identity, ready: 1 });
    await waitForGraph(fed(), "the workload created right after the rotation", (s) => workloadsOf(s, identity).some((w) => w.cluster === "east-2"));
    await expect.poll(() => fed().logLines.filter((line) => line.includes("Swapped to new watches")).length, { timeout: 20_000 }).toBeGreaterThan(swapsBefore);
    await waitForConditions(home, "east-2", ALL_TRUE);
    sampling = false;
    await sampler;
    expect([...seen]).toEqual(["True Connected"]);
    // The old token no longer works: the registry really runs on the new one.
    const old = new KubeConfig();
    old.loadFromString(tokenKubeconfigYaml(eu.info.server, caDataOf(eu.kubeConfig), oldToken, `old-${id}`));
    expect(await statusOf(old.makeApiClient(CoreV1Api).listNamespace())).toBe(401);
  });

  test("a broken Secret, a missing key, a missing Secret and a kubeconfig with the wrong CA each get their condition; the other clusters are unaffected", async () => {
    const good = tokenKubeconfigYaml(eu.info.server, caDataOf(eu.kubeConfig), (await requestToken(eu.kubeConfig)).token);
    await writeSecret(home, "meridian-member-bad-yaml", { kubeconfig: base64("clusters: [unclosed") });
    await register(home, "bad-yaml", undefined, { region: "us-east" });
    await writeSecret(home, "meridian-member-double-encoded", { kubeconfig: base64(base64(good)) });
    await register(home, "double-encoded", undefined, { region: "us-east" });
    await writeSecret(home, "meridian-member-key-missing", { config: base64(good) });
    await register(home, "key-missing", undefined, { region: "us-east" });
    await register(home, "no-secret", undefined, { region: "us-east" });
    await register(home, "wrong-ca", tokenKubeconfigYaml(eu.info.server, caDataOf(home.kubeConfig), "irrelevant"), { region: "us-east" });

    const noCredentials = { Connected: "Unknown NoCredentials", PermissionsVerified: "Unknown NotChecked", Synced: "False NotStarted" };
    await waitForConditions(home, "bad-yaml", { ...noCredentials, CredentialsValid: "False NotYaml" });
    expect(await conditionMessage(home, "bad-yaml", "CredentialsValid")).toMatch(/Secret meridian-system\/meridian-member-bad-yaml, key "kubeconfig": the value is not valid YAML.*meridian cluster register bad-yaml/);
    await waitForConditions(home, "double-encoded", { ...noCredentials, CredentialsValid: "False NotKubeconfig" });
    await waitForConditions(home, "key-missing", { ...noCredentials, CredentialsValid: "False KeyMissing" });
    expect(await conditionMessage(home, "key-missing", "CredentialsValid")).toContain("keys present: config");
    await waitForConditions(home, "no-secret", { ...noCredentials, CredentialsValid: "False SecretNotFound" });
    await waitForConditions(home, "wrong-ca", { Connected: "False TLSHandshakeFailed", CredentialsValid: "False ServerCertificateUntrusted", Synced: "False NotStarted" });
    expect(await conditionMessage(home, "wrong-ca", "CredentialsValid")).toMatch(/not trusted by the certificate-authority-data in Secret meridian-system\/meridian-member-wrong-ca/);
    for (const cluster of ["east-1", "east-2"]) expect(await conditionsOf(home, cluster)).toEqual(ALL_TRUE);

    // The Secret appears: the cluster is engaged without a restart.
    await writeSecret(home, "meridian-member-no-secret", { kubeconfig: base64(good) });
    await waitForConditions(home, "no-secret", ALL_TRUE);
  });

  test("credentials that may not list EndpointSlices get PermissionsVerified=False naming the permission, and Synced=False", async () => {
    const account = `meridian-limited-${id}`;
    await setUpMember(ap.kubeConfig, false);
    const objects: KubernetesObject[] = [
      { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: account, namespace: "meridian-system" } },
      {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "ClusterRole",
        metadata: { name: account },
        rules: [
          { apiGroups: [""], resources: ["services", "namespaces"], verbs: ["get", "list", "watch"] },
          { apiGroups: ["apps"], resources: ["deployments"], verbs: ["get", "list", "watch"] },
          { apiGroups: ["argoproj.io"], resources: ["rollouts"], verbs: ["get", "list", "watch"] },
        ],
      } as KubernetesObject,
      {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "ClusterRoleBinding",
        metadata: { name: account },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: account },
        subjects: [{ kind: "ServiceAccount", name: account, namespace: "meridian-system" }],
      } as KubernetesObject,
      {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "RoleBinding",
        metadata: { name: account, namespace: "meridian-sync" },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "meridian-member-write" },
        subjects: [{ kind: "ServiceAccount", name: account, namespace: "meridian-system" }],
      } as KubernetesObject,
    ];
    for (const object of objects) await apply(ap.objects, object);
    const request = await ap.core.createNamespacedServiceAccountToken({ namespace: "meridian-system", name: account, body: { spec: { audiences: [], expirationSeconds: 3600 } } });
    const token = request.status?.token ?? "";
    await waitForAccess(ap, token, "services");
    await register(home, "limited", tokenKubeconfigYaml(ap.info.server, caDataOf(ap.kubeConfig), token), { region: "us-west" });

    await waitForConditions(home, "limited", { Connected: "True Connected", CredentialsValid: "True Authenticated", PermissionsVerified: "False PermissionDenied", Synced: "False WatchFailed" });
    const permissions = await conditionMessage(home, "limited", "PermissionsVerified");
    expect(permissions).toContain("Missing: get, list, watch endpointslices.discovery.k8s.io (cluster-wide).");
    expect(permissions).toContain("ClusterRole meridian-member-read");
    const synced = await conditionMessage(home, "limited", "Synced");
    expect(synced).toMatch(/list and watch endpointslices\.discovery\.k8s\.io \(cluster-wide\) \(403 Forbidden\)/);
    expect(fed().registry.clusters().find((c) => c.name === "limited")).toMatchObject({ connected: true, synced: false });
    expect(fed().graph.snapshot().clusters.map((c) => c.name)).not.toContain("limited");
  });
});
