// The charts' RBAC, proved against real API servers: the ServiceAccounts are installed from the
// rendered charts, authenticate with TokenRequest tokens, and ask SelfSubjectAccessReviews (and make
// a few real, dry-run or harmless calls) — allowed exactly what Meridian needs, denied the rest.
import { readFile } from "node:fs/promises";
import { CoordinationV1Api, CoreV1Api, KubernetesObjectApi, type V1ResourceAttributes } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { canI, installHomeRbac, installMemberRbac, type ChartIdentity } from "./deploy-support.js";
import { controlPlanes, statusOf } from "./support/clusters.js";

const NS = "meridian-system";
const TEAM = "team-payments"; // any namespace where ServiceDependencies and TrafficPolicies may live
const MERIDIAN_KINDS = ["meshclusters", "servicedependencies", "trafficpolicies", "failoverdrills"] as const;

type Access = [verb: string, group: string, resource: string, namespace?: string, name?: string];

function attributes([verb, group, resource, namespace, name]: Access): V1ResourceAttributes {
  const [plain = resource, subresource] = resource.split("/");
  return { verb, group, resource: plain, ...(subresource === undefined ? {} : { subresource }), ...(namespace === undefined ? {} : { namespace }), ...(name === undefined ? {} : { name }) };
}

function label([verb, group, resource, namespace, name]: Access): string {
  return `${verb} ${group === "" ? "core" : group}/${resource}${name === undefined ? "" : `/${name}`} in ${namespace === undefined ? "the cluster" : namespace === "" ? "all namespaces" : namespace}`;
}

const reads = (namespace?: string): Access[] => MERIDIAN_KINDS.flatMap((kind) => ["get", "list", "watch"].map((verb): Access => [verb, "meridian.dev", kind, kind === "meshclusters" ? undefined : namespace]));

const HOME_ALLOWED: readonly Access[] = [
  ...reads(""),
  ...reads(TEAM),
  ...MERIDIAN_KINDS.flatMap((kind) => ["get", "patch", "update"].map((verb): Access => [verb, "meridian.dev", `${kind}/status`, kind === "meshclusters" ? undefined : TEAM])),
  ["get", "", "secrets", NS, "meridian-member-us-east-1a"],
  ["list", "", "secrets", NS],
  ["watch", "", "secrets", NS],
  ["create", "coordination.k8s.io", "leases", NS],
  ["get", "coordination.k8s.io", "leases", NS, "meridian-controller"],
  ["update", "coordination.k8s.io", "leases", NS, "meridian-controller"],
  ["create", "", "events", TEAM],
  ["patch", "", "events", TEAM],
  ["create", "", "events", NS],
];

const HOME_DENIED: readonly Access[] = [
  // Secrets only in its namespace, and only read.
  ...["get", "list", "watch"].flatMap((verb): Access[] => [[verb, "", "secrets", "default"], [verb, "", "secrets", "kube-system"], [verb, "", "secrets", ""]]),
  ...["create", "update", "patch", "delete"].map((verb): Access => [verb, "", "secrets", NS]),
  // No writes to Services or Deployments anywhere.
  ...["create", "update", "patch", "delete"].flatMap((verb): Access[] =>
    [NS, "default", ""].flatMap((namespace): Access[] => [[verb, "", "services", namespace], [verb, "apps", "deployments", namespace]]),
  ),
  // Meridian's own objects: never their spec.
  ...MERIDIAN_KINDS.flatMap((kind) => ["create", "update", "patch", "delete"].map((verb): Access => [verb, "meridian.dev", kind, kind === "meshclusters" ? undefined : TEAM])),
  // Only its own Lease, only in its namespace, never deleted.
  ["get", "coordination.k8s.io", "leases", NS, "kube-controller-manager"],
  ["update", "coordination.k8s.io", "leases", NS, "another-lease"],
  ["delete", "coordination.k8s.io", "leases", NS, "meridian-controller"],
  ["create", "coordination.k8s.io", "leases", "kube-system"],
  ["list", "coordination.k8s.io", "leases", NS],
  // Events: write-only.
  ["list", "", "events", TEAM],
  ["delete", "", "events", TEAM],
  // Nothing else.
  ["get", "", "configmaps", NS],
  ["list", "", "pods", ""],
  ["list", "", "namespaces"],
  ["list", "", "services", ""],
  ["create", "", "serviceaccounts/token", NS, "meridian-controller"],
  ["create", "networking.istio.io", "serviceentries", "meridian-sync"],
  ["create", "rbac.authorization.k8s.io", "clusterroles"],
  ["bind", "rbac.authorization.k8s.io", "clusterroles", undefined, "cluster-admin"],
  ["escalate", "rbac.authorization.k8s.io", "roles", NS],
  ["update", "apiextensions.k8s.io", "customresourcedefinitions", undefined, "meshclusters.meridian.dev"],
  ["impersonate", "", "users", undefined, "admin"],
];

const MEMBER_WRITE_VERBS = ["create", "update", "patch", "delete"];
const ISTIO_WRITES = (namespace: string): Access[] =>
  MEMBER_WRITE_VERBS.flatMap((verb): Access[] => [[verb, "networking.istio.io", "serviceentries", namespace], [verb, "networking.istio.io", "destinationrules", namespace]]);

const MEMBER_ALLOWED: readonly Access[] = [
  ...ISTIO_WRITES("meridian-sync"),
  ["list", "", "services", ""],
  ["watch", "", "namespaces"],
  ["list", "discovery.k8s.io", "endpointslices", ""],
  ["watch", "apps", "deployments", ""],
  ["list", "argoproj.io", "rollouts", ""],
];

const MEMBER_DENIED: readonly Access[] = [
  ...ISTIO_WRITES("default"),
  ...ISTIO_WRITES("istio-system"),
  ...ISTIO_WRITES(NS),
  ...ISTIO_WRITES(""),
  ...MEMBER_WRITE_VERBS.flatMap((verb): Access[] =>
    ["meridian-sync", "default", ""].flatMap((namespace): Access[] => [[verb, "", "services", namespace], [verb, "apps", "deployments", namespace], [verb, "", "configmaps", namespace]]),
  ),
  ["get", "", "secrets", NS],
  ["list", "", "secrets", ""],
  ["create", "", "namespaces"],
  ["create", "networking.istio.io", "virtualservices", "meridian-sync"],
  ["create", "", "serviceaccounts/token", NS, "meridian"],
];

async function denials(identity: ChartIdentity, expected: readonly Access[], allowed: boolean): Promise<string[]> {
  const wrong: string[] = [];
  for (const access of expected) if ((await canI(identity.kubeConfig, attributes(access))) !== allowed) wrong.push(label(access));
  return wrong;
}

describe("RBAC of the charts, proved with the ServiceAccounts' own tokens", () => {
  const [home, member] = controlPlanes();
  let controller: ChartIdentity;
  let memberAccount: ChartIdentity;

  beforeAll(async () => {
    if (home === undefined || member === undefined) throw new Error("The e2e global setup provided fewer than two control planes.");
    controller = await installHomeRbac(home);
    memberAccount = await installMemberRbac(member);
  });

  afterAll(async () => {
    await controller.dispose();
    await memberAccount.dispose();
  });

  test("the home chart grants no wildcard and exactly these rules", () => {
    const rules = controller.objects.filter((object) => object.kind === "ClusterRole" || object.kind === "Role").map((object) => ({ kind: object.kind, rules: (object as { rules?: unknown }).rules }));
    expect(JSON.stringify(rules)).not.toContain('"*"');
    expect(rules).toEqual([
      {
        kind: "ClusterRole",
        rules: [
          { apiGroups: ["meridian.dev"], resources: [...MERIDIAN_KINDS], verbs: ["get", "list", "watch"] },
          { apiGroups: ["meridian.dev"], resources: MERIDIAN_KINDS.map((kind) => `${kind}/status`), verbs: ["get", "patch", "update"] },
          { apiGroups: [""], resources: ["events"], verbs: ["create", "patch"] },
        ],
      },
      {
        kind: "Role",
        rules: [
          { apiGroups: [""], resources: ["secrets"], verbs: ["get", "list", "watch"] },
          { apiGroups: ["coordination.k8s.io"], resources: ["leases"], verbs: ["create"] },
          { apiGroups: ["coordination.k8s.io"], resources: ["leases"], resourceNames: ["meridian-controller"], verbs: ["get", "update"] },
        ],
      },
    ]);
  });

  test("the kubeconfig file authenticates as the chart's ServiceAccount", async () => {
    expect(controller.username).toBe("system:serviceaccount:meridian-system:meridian-controller");
    expect(controller.token.split(".")).toHaveLength(3);
    expect(await readFile(controller.kubeconfigFile, "utf8")).toContain(controller.token);
  });

  test(`home: the controller may do each of ${HOME_ALLOWED.length} things it needs`, async () => {
    expect(await denials(controller, HOME_ALLOWED, true)).toEqual([]);
  });

  test(`home: the controller may not do ${HOME_DENIED.length} things it does not need`, async () => {
    expect(await denials(controller, HOME_DENIED, false)).toEqual([]);
  });

  test("home: real calls agree — Secrets readable only in meridian-system; Lease and Event writes pass authorization (dry run)", async () => {
    const core = controller.kubeConfig.makeApiClient(CoreV1Api);
    const objects = KubernetesObjectApi.makeApiClient(controller.kubeConfig);
    expect(await statusOf(core.listNamespacedSecret({ namespace: NS }))).toBeUndefined();
    expect(await statusOf(core.listNamespacedSecret({ namespace: "default" }))).toBe(403);
    expect(await statusOf(core.listSecretForAllNamespaces())).toBe(403);
    expect(await statusOf(objects.list("meridian.dev/v1alpha1", "MeshCluster"))).toBeUndefined();
    expect(await statusOf(objects.list("meridian.dev/v1alpha1", "ServiceDependency"))).toBeUndefined();
    const lease = { metadata: { name: "meridian-controller", namespace: NS }, spec: { holderIdentity: "e2e-dry-run", leaseDurationSeconds: 15 } };
    const leaseCreate = controller.kubeConfig.makeApiClient(CoordinationV1Api).createNamespacedLease({ namespace: NS, body: lease, dryRun: "All" });
    expect([undefined, 409]).toContain(await statusOf(leaseCreate));
    const event = { metadata: { name: "e2e-dry-run", namespace: TEAM }, involvedObject: { kind: "ServiceDependency", namespace: TEAM, name: "x" }, reason: "Test", message: "dry run" };
    // 404: the namespace does not exist, which the API server checks only after authorization allowed the create.
    expect([undefined, 404]).toContain(await statusOf(core.createNamespacedEvent({ namespace: TEAM, body: event, dryRun: "All" })));
    const service = { apiVersion: "v1", kind: "Service", metadata: { name: "e2e-denied", namespace: NS }, spec: { ports: [{ port: 80 }] } };
    expect(await statusOf(objects.create(service, undefined, "All"))).toBe(403);
  });

  test("member: the member chart's ServiceAccount may read cluster-wide and write Istio objects in meridian-sync", async () => {
    expect(memberAccount.username).toBe("system:serviceaccount:meridian-system:meridian");
    expect(await denials(memberAccount, MEMBER_ALLOWED, true)).toEqual([]);
  });

  test(`member: it may not write outside meridian-sync, nor anything but Istio objects there (${MEMBER_DENIED.length} checks)`, async () => {
    expect(await denials(memberAccount, MEMBER_DENIED, false)).toEqual([]);
  });
});
