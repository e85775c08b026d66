// `meridian cluster register | list | status | remove` against three real control planes: the first
// is also the home cluster. Checks the state of the world (objects, resourceVersions, what the real
// API server allows the stored token to do), not which calls were made.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ApiException, AuthenticationV1Api, AuthorizationV1Api, KubernetesObjectApi, PatchStrategy, type KubeConfig, type KubernetesObject, type V1Secret } from "@kubernetes/client-node";
import { parse, parseAllDocuments, stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { clusterName } from "../federation/graph-model.js";
import { kubeConfigFromSecret } from "../federation/kubeconfig.js";
import { freePort } from "./harness/free-port.js";
import { waitUntil } from "./harness/wait-until.js";
import { controlPlanes, kubeConfigWithToken, statusOf, type ConnectedControlPlane } from "./support/clusters.js";
import { meridian, meridianProcess, type CliRun } from "./support/meridian-cli.js";

const planes = controlPlanes();
const [home, eu, ap] = planes as [ConnectedControlPlane, ConnectedControlPlane, ConnectedControlPlane];
const dir = mkdtempSync(join(tmpdir(), "meridian-registration-"));
const HOME = ["--home-kubeconfig", home.info.kubeconfig];
const SA_USER = "system:serviceaccount:meridian-system:meridian";

/** Registration names of our own, so other e2e files' MeshClusters never collide with these. */
const nameOf = (plane: ConnectedControlPlane): string => `reg-${plane.info.name}`;
const regionOf = (plane: ConnectedControlPlane): string => `${plane.info.name}-1`;

function registerArgs(plane: ConnectedControlPlane, ...extra: string[]): string[] {
  return ["cluster", "register", nameOf(plane), "--kubeconfig", plane.info.kubeconfig, "--region", regionOf(plane), "--zone", `${regionOf(plane)}a`, ...HOME, ...extra];
}

function expectOk(run: CliRun): void {
  expect(run.stderr).not.toMatch(/^error:/m);
  expect(run.code).toBe(0);
}

type Header = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } };

/** The one error line (progress lines may precede it on stderr). */
function errorLine(run: CliRun): string {
  const lines = run.stderr.split("\n").filter((line) => line.startsWith("error:"));
  expect(lines).toHaveLength(1);
  return lines[0] ?? "";
}

function header(apiVersion: string, kind: string, name: string, namespace?: string): Header {
  return { apiVersion, kind, metadata: namespace === undefined ? { name } : { name, namespace } };
}

async function readOrUndefined(objects: KubernetesObjectApi, object: Header): Promise<KubernetesObject | undefined> {
  try {
    return await objects.read(object);
  } catch (err) {
    if (err instanceof ApiException && err.code === 404) return undefined;
    throw err;
  }
}

const meshCluster = (plane: ConnectedControlPlane) => header("meridian.dev/v1alpha1", "MeshCluster", nameOf(plane));
const memberSecret = (plane: ConnectedControlPlane) => header("v1", "Secret", `meridian-member-${nameOf(plane)}`, "meridian-system");

/** The kubeconfig stored for `plane`, loaded exactly as the registry loads it. */
async function storedKubeConfig(plane: ConnectedControlPlane): Promise<KubeConfig> {
  const secret = (await home.objects.read(memberSecret(plane))) as V1Secret;
  const name = clusterName(nameOf(plane));
  return kubeConfigFromSecret(secret, { namespace: "meridian-system", name: `meridian-member-${name}`, key: "kubeconfig" }, name);
}

/** A copy of `plane`'s admin kubeconfig with its server or token replaced. */
function variantKubeconfig(plane: ConnectedControlPlane, file: string, change: { server?: string; token?: string }): string {
  const document = parse(readFileSync(plane.info.kubeconfig, "utf8"));
  if (change.server !== undefined) document.clusters[0].cluster.server = change.server;
  if (change.token !== undefined) document.users[0].user.token = change.token;
  const path = join(dir, file);
  writeFileSync(path, stringify(document), { mode: 0o600 });
  return path;
}

function serviceEntry(name: string, namespace: string, labels?: Record<string, string>): KubernetesObject {
  const spec = { hosts: [`${name}.global`], ports: [{ number: 80, protocol: "HTTP", name: "http" }], location: "MESH_INTERNAL", resolution: "DNS" };
  return { apiVersion: "networking.istio.io/v1", kind: "ServiceEntry", metadata: { name, namespace, ...(labels === undefined ? {} : { labels }) }, spec } as KubernetesObject;
}

describe("meridian cluster register / list / status / remove", () => {
  beforeAll(async () => {
    // Registering the first cluster through the real entry point proves the binary path works.
    const first = await meridianProcess(...registerArgs(home));
    expectOk(first);
    expect(first.stdout).toContain(`Registered cluster ${nameOf(home)}: ${home.info.server}`);
    // Registered without a gateway: the other clusters will get no endpoints for it, and register says so.
    expect(first.stderr).toContain(`warning: no east-west gateway given (--gateway-address or --gateway-service): the other clusters will get no endpoints for the Services of ${nameOf(home)}`);
    for (const plane of [eu, ap]) expectOk(await meridian(...registerArgs(plane)));
  });

  afterAll(async () => {
    // Leave the home cluster as we found it for other e2e files (the member RBAC may stay).
    for (const plane of planes) await meridian("cluster", "remove", nameOf(plane), ...HOME);
    // The kubeconfig copies hold tokens.
    rmSync(dir, { recursive: true, force: true });
  });

  test("cluster list shows the three clusters; Connected and Synced are Unknown until the controller runs", async () => {
    const table = await meridian("cluster", "list", ...HOME);
    expectOk(table);
    const lines = table.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^NAME\s+REGION\s+ZONE\s+NETWORK\s+CONNECTED\s+SYNCED\s+WORKLOADS\s+AGE$/);
    for (const plane of planes) {
      expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^${nameOf(plane)}\\s+${regionOf(plane)}\\s+${regionOf(plane)}a\\s+-\\s+Unknown\\s+Unknown\\s+-\\s+\\d+s$`)));
    }
    const json = await meridian("cluster", "list", ...HOME, "-o", "json");
    const summaries = (JSON.parse(json.stdout) as { name: string; server: string }[]).filter((row) => row.name.startsWith("reg-"));
    expect(summaries.map((row) => [row.name, row.server])).toEqual(planes.map((plane) => [nameOf(plane), plane.info.server]).sort());
  });

  test("cluster status shows the registration and, before the controller runs, only register's east-west gateway check", async () => {
    const status = await meridian("cluster", "status", nameOf(eu), ...HOME);
    expectOk(status);
    expect(status.stdout).toContain(`Server:         ${eu.info.server}`);
    expect(status.stdout).toContain(`Credentials:    Secret meridian-system/meridian-member-${nameOf(eu)}, key kubeconfig`);
    // The member has Istio's CRDs but no Gateway: register found none and recorded it.
    expect(status.stdout).toMatch(/EastWestGateway\s+False\s+GatewayMissing\s+\S+\s+Other clusters cannot reach this cluster's services through its east-west gateway: no Gateway passes \*\.global through/);
    expect(status.stdout).not.toMatch(/^\s*(Connected|Synced)\s/m);
    const yaml = await meridian("cluster", "status", nameOf(eu), ...HOME, "-o", "yaml");
    expect(parse(yaml.stdout)).toMatchObject({ kind: "MeshCluster", spec: { region: regionOf(eu) } });
  });

  test("the stored Secret holds the ServiceAccount's token, not the admin's, and the real API server enforces least privilege", async () => {
    const stored = await storedKubeConfig(eu);
    const token = stored.getCurrentUser()?.token ?? "";
    expect(token).not.toBe(eu.info.adminToken);
    expect(readFileSync(home.info.kubeconfig, "utf8")).not.toContain(token);
    const review = await stored.makeApiClient(AuthenticationV1Api).createSelfSubjectReview({ body: {} });
    expect(review.status?.userInfo?.username).toBe(SA_USER);

    const objects = KubernetesObjectApi.makeApiClient(stored);
    const configMap = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "reg-denied", namespace: "default" } };
    expect(await statusOf(objects.create(configMap))).toBe(403);
    expect(await statusOf(objects.create(serviceEntry("reg-denied", "default")))).toBe(403);
    expect(await statusOf(objects.list("v1", "Secret", "meridian-system"))).toBe(403);
    const allowed = await objects.create(serviceEntry("reg-allowed", "meridian-sync"));
    expect(allowed.metadata?.namespace).toBe("meridian-sync");
    await objects.delete(allowed);
    expect(await statusOf(objects.list("discovery.k8s.io/v1", "EndpointSlice"))).toBeUndefined();
  });

  test("the Secret and MeshCluster carry the agreed labels, annotations and reference", async () => {
    const secret = (await home.objects.read(memberSecret(ap))) as V1Secret;
    expect(secret.metadata?.labels).toEqual({ "app.kubernetes.io/managed-by": "meridian", "meridian.dev/cluster": nameOf(ap) });
    expect(secret.metadata?.annotations?.["meridian.dev/server"]).toBe(ap.info.server);
    expect(Date.parse(secret.metadata?.annotations?.["meridian.dev/token-expires"] ?? "") - Date.now()).toBeGreaterThan(300 * 86_400_000);
    const cluster = (await home.objects.read(meshCluster(ap))) as KubernetesObject & { spec: unknown };
    expect(cluster.spec).toEqual({
      region: regionOf(ap),
      zone: `${regionOf(ap)}a`,
      kubeconfigSecretRef: { name: `meridian-member-${nameOf(ap)}`, namespace: "meridian-system", key: "kubeconfig" },
    });
    expect(cluster.metadata?.managedFields?.map((entry) => entry.manager)).toContain("meridian");
  });

  test("running register again changes nothing: same resourceVersions in both clusters, token reused", async () => {
    const watched = [
      [home.objects, meshCluster(eu)],
      [home.objects, memberSecret(eu)],
      [eu.objects, header("v1", "ServiceAccount", "meridian", "meridian-system")],
      [eu.objects, header("rbac.authorization.k8s.io/v1", "ClusterRole", "meridian-member-read")],
      [eu.objects, header("rbac.authorization.k8s.io/v1", "RoleBinding", "meridian-member-write", "meridian-sync")],
    ] as const;
    const versions = async () => Promise.all(watched.map(async ([objects, object]) => (await objects.read(object)).metadata?.resourceVersion));
    const before = await versions();
    const again = await meridian(...registerArgs(eu));
    expectOk(again);
    expect(again.stdout).toContain("token (reused");
    expect(await versions()).toEqual(before);
  });

  test("a new token is requested when the ServiceAccount was recreated", async () => {
    const before = (await storedKubeConfig(eu)).getCurrentUser()?.token;
    await eu.objects.delete(header("v1", "ServiceAccount", "meridian", "meridian-system"));
    const run = await meridian(...registerArgs(eu));
    expectOk(run);
    expect(run.stdout).toContain("token (created");
    const after = await storedKubeConfig(eu);
    expect(after.getCurrentUser()?.token).not.toBe(before);
    const review = await after.makeApiClient(AuthenticationV1Api).createSelfSubjectReview({ body: {} });
    expect(review.status?.userInfo?.username).toBe(SA_USER);
  });

  test("a stored token the API server rejects is replaced", async () => {
    // Same claims (so it looks reusable), broken signature: the API server answers 401.
    const secret = (await home.objects.read(memberSecret(eu))) as V1Secret;
    const kubeconfig = Buffer.from(secret.data?.["kubeconfig"] ?? "", "base64").toString("utf8");
    const token = (await storedKubeConfig(eu)).getCurrentUser()?.token ?? "";
    const forged = `${token.slice(0, token.lastIndexOf(".") + 1)}${Buffer.from("not the signature").toString("base64url")}`;
    const data = { kubeconfig: Buffer.from(kubeconfig.replace(token, forged)).toString("base64") };
    await home.objects.patch({ ...header("v1", "Secret", `meridian-member-${nameOf(eu)}`, "meridian-system"), data } as KubernetesObject, undefined, undefined, "e2e-tamper", true, PatchStrategy.ServerSideApply);
    const run = await meridian(...registerArgs(eu));
    expectOk(run);
    expect(run.stderr).toContain("The stored token was rejected; requesting a new one");
    expect(run.stdout).toContain("token (created");
    const stored = (await storedKubeConfig(eu)).getCurrentUser()?.token;
    expect(stored).not.toBe(forged);
    expect(stored).not.toBe(token);
  });

  test("register with a new region updates the MeshCluster and keeps the Secret", async () => {
    const secretBefore = (await home.objects.read(memberSecret(eu))).metadata?.resourceVersion;
    const clusterBefore = (await home.objects.read(meshCluster(eu))).metadata?.resourceVersion;
    const moved = await meridian("cluster", "register", nameOf(eu), "--kubeconfig", eu.info.kubeconfig, "--region", "eu-central-1", ...HOME);
    expectOk(moved);
    const after = (await home.objects.read(meshCluster(eu))) as KubernetesObject & { spec: { region: string; zone?: string } };
    expect(after.spec.region).toBe("eu-central-1");
    expect(after.spec.zone).toBeUndefined();
    expect(after.metadata?.resourceVersion).not.toBe(clusterBefore);
    expect((await home.objects.read(memberSecret(eu))).metadata?.resourceVersion).toBe(secretBefore);
    expectOk(await meridian(...registerArgs(eu)));
  });

  test("register checks the member's east-west Gateway and records what it found on the MeshCluster", async () => {
    const gatewayObject = {
      apiVersion: "networking.istio.io/v1",
      kind: "Gateway",
      metadata: { name: "cross-network-gateway", namespace: "meridian-system" },
      spec: { selector: { istio: "eastwestgateway" }, servers: [{ port: { number: 15443, name: "tls", protocol: "TLS" }, tls: { mode: "AUTO_PASSTHROUGH" }, hosts: ["*.global"] }] },
    } as KubernetesObject;
    const condition = async () => ((await home.objects.read(meshCluster(eu))) as { status?: { conditions?: { type: string; status: string; reason: string; message: string }[] } }).status?.conditions?.find((c) => c.type === "EastWestGateway");
    const missing = await meridian(...registerArgs(eu));
    expectOk(missing);
    expect(missing.stdout).toContain("  Gateway:      MISSING: the cluster has no Gateway (see the warning)");
    expect(missing.stderr).toContain('warning: Other clusters cannot reach this cluster\'s services through its east-west gateway: no Gateway passes *.global through (the cluster has no Gateway). Apply an Istio Gateway selecting the east-west gateway with a server on port 15443 with tls.mode AUTO_PASSTHROUGH for hosts "*.global"');
    expect(await condition()).toMatchObject({ status: "False", reason: "GatewayMissing" });
    await eu.objects.create(gatewayObject);
    try {
      const found = await meridian(...registerArgs(eu));
      expectOk(found);
      expect(found.stdout).toContain("  Gateway:      meridian-system/cross-network-gateway passes Meridian's hosts through (EastWestGateway=True)");
      expect(found.stderr).not.toContain("east-west gateway:");
      expect(await condition()).toMatchObject({ status: "True", reason: "PassthroughConfigured", message: expect.stringContaining("Gateway meridian-system/cross-network-gateway has a server on port 15443") });
    } finally {
      await eu.objects.delete(gatewayObject);
    }
    expectOk(await meridian(...registerArgs(eu)));
    expect(await condition()).toMatchObject({ status: "False", reason: "GatewayMissing" });
  });

  test("--dry-run prints both clusters' objects, no secret, and writes nothing", async () => {
    const before = (await home.objects.read(meshCluster(ap))).metadata?.resourceVersion;
    const dry = await meridian("cluster", "register", nameOf(ap), "--kubeconfig", ap.info.kubeconfig, "--region", "ap-east-1", "--zone", `${regionOf(ap)}a`, ...HOME, "--dry-run", "-o", "yaml");
    expectOk(dry);
    const documents = parseAllDocuments(dry.stdout).map((document) => document.toJS() as KubernetesObject & { spec?: { region?: string } });
    expect(documents.map((document) => document.kind)).toEqual(["Namespace", "Namespace", "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "Secret", "MeshCluster"]);
    expect(documents.at(-1)?.spec?.region).toBe("ap-east-1");
    expect(dry.stdout).not.toContain((await storedKubeConfig(ap)).getCurrentUser()?.token ?? "no token");
    expect((await home.objects.read(meshCluster(ap))).metadata?.resourceVersion).toBe(before);
  });

  describe("errors: one line and an exit code", () => {
    test("an unreachable server: exit 3", async () => {
      const port = await freePort();
      const file = variantKubeconfig(eu, "closed-port.yaml", { server: `https://127.0.0.1:${port}` });
      const run = await meridian("cluster", "register", "reg-nowhere", "--kubeconfig", file, "--region", "r", ...HOME);
      expect(run).toMatchObject({ code: 3, stdout: "" });
      expect(run.stderr).toBe(`error: cannot reach https://127.0.0.1:${port} (connect ECONNREFUSED): check the address and that the API server runs\n`);
    });

    test("a context that is not in the file: exit 2", async () => {
      const run = await meridian("cluster", "register", "reg-x", "--kubeconfig", eu.info.kubeconfig, "--context", "nope", "--region", "r", ...HOME);
      expect(run).toEqual({ code: 2, stdout: "", stderr: `error: context "nope" not found in ${eu.info.kubeconfig}; available: ${eu.info.name}\n` });
    });

    test("invalid credentials (401): exit 4", async () => {
      const file = variantKubeconfig(eu, "bad-token.yaml", { token: "not-a-valid-token" });
      const run = await meridian("cluster", "register", "reg-x", "--kubeconfig", file, "--region", "r", ...HOME);
      expect(run.code).toBe(4);
      expect(run.stderr).toBe(`error: ${eu.info.server} rejected the credentials (401 Unauthorized): the token or certificate is invalid or expired\n`);
    });

    test("a missing region: exit 2, naming the flag", async () => {
      const run = await meridian("cluster", "register", "reg-x", "--kubeconfig", eu.info.kubeconfig, ...HOME);
      expect(run).toEqual({ code: 2, stdout: "", stderr: "error: --region is required (the member's region, e.g. us-east-1)\n" });
    });

    test("a name registered for another server: exit 5, unless --force", async () => {
      const run = await meridian("cluster", "register", nameOf(home), "--kubeconfig", eu.info.kubeconfig, "--region", "r", ...HOME);
      expect(run.code).toBe(5);
      expect(errorLine(run)).toBe(
        `error: cluster name "${nameOf(home)}" is already registered for ${home.info.server} (this kubeconfig points at ${eu.info.server}): choose another name, or pass --force to re-point it`,
      );
      const annotation = async () => (await home.objects.read(meshCluster(home))).metadata?.annotations?.["meridian.dev/server"];
      expect(await annotation()).toBe(home.info.server);
      expectOk(await meridian("cluster", "register", nameOf(home), "--kubeconfig", eu.info.kubeconfig, "--region", "r", ...HOME, "--force"));
      expect(await annotation()).toBe(eu.info.server);
      expectOk(await meridian(...registerArgs(home, "--force")));
      expect(await annotation()).toBe(home.info.server);
    });

    test("the same server under a second name: exit 5 naming the first, nothing stored; --force registers it with a warning", async () => {
      const twin = header("meridian.dev/v1alpha1", "MeshCluster", "reg-twin");
      const run = await meridian("cluster", "register", "reg-twin", "--kubeconfig", eu.info.kubeconfig, "--region", "r", ...HOME);
      expect(run.code).toBe(5);
      expect(errorLine(run)).toBe(
        `error: ${eu.info.server} is already registered as "${nameOf(eu)}": under two names its ServiceEntries would get two different desired states and its endpoints would be counted twice; use that name, remove it first (meridian cluster remove ${nameOf(eu)}), or pass --force to register it again anyway`,
      );
      expect(await readOrUndefined(home.objects, twin)).toBeUndefined();
      try {
        const forced = await meridian("cluster", "register", "reg-twin", "--kubeconfig", eu.info.kubeconfig, "--region", "r", ...HOME, "--force");
        expectOk(forced);
        expect(forced.stderr).toContain(`warning: --force: ${eu.info.server} is already registered as "${nameOf(eu)}"`);
        expect(await readOrUndefined(home.objects, twin)).toBeDefined();
      } finally {
        await meridian("cluster", "remove", "reg-twin", ...HOME);
      }
    });

    describe("credentials that can only read Services", () => {
      let readerKubeconfig = "";

      beforeAll(async () => {
        const reader = "e2e-reg-reader";
        const grant: KubernetesObject[] = [
          { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: reader, namespace: "default" } },
          { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name: reader }, rules: [{ apiGroups: [""], resources: ["services"], verbs: ["get", "list", "watch"] }] } as KubernetesObject,
          {
            apiVersion: "rbac.authorization.k8s.io/v1",
            kind: "ClusterRoleBinding",
            metadata: { name: reader },
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: reader },
            subjects: [{ kind: "ServiceAccount", name: reader, namespace: "default" }],
          } as KubernetesObject,
        ];
        for (const object of grant) await eu.objects.patch(object, undefined, undefined, "meridian-e2e", true, PatchStrategy.ServerSideApply);
        const request = await eu.core.createNamespacedServiceAccountToken({ namespace: "default", name: reader, body: { spec: { audiences: [], expirationSeconds: 3600 } } });
        const token = request.status?.token ?? "";
        readerKubeconfig = variantKubeconfig(eu, "reader.yaml", { token });
        const asReader = kubeConfigWithToken(eu.kubeConfig, `${reader}-check`, token).makeApiClient(AuthorizationV1Api);
        await waitUntil(
          async () => (await asReader.createSelfSubjectAccessReview({ body: { spec: { resourceAttributes: { verb: "list", resource: "services" } } } })).status?.allowed === true,
          { what: "the reader's ClusterRoleBinding to take effect", timeoutMs: 15_000 },
        );
      });

      test("--use-given-credentials: exit 4 naming the missing permissions; nothing stored", async () => {
        // --force: this server is registered already (as reg-eu); what is checked here is the credentials.
        const run = await meridian("cluster", "register", "reg-reader", "--kubeconfig", readerKubeconfig, "--region", "r", "--use-given-credentials", "--force", ...HOME);
        expect(run.code).toBe(4);
        expect(errorLine(run)).toMatch(/^error: missing permissions: get, list, watch namespaces \(cluster-wide\); get, list, watch endpointslices\.discovery\.k8s\.io \(cluster-wide\); .*serviceentries\.networking\.istio\.io in namespace meridian-sync/m);
        expect(run.stderr).not.toContain("services (cluster-wide)");
        expect(await readOrUndefined(home.objects, header("meridian.dev/v1alpha1", "MeshCluster", "reg-reader"))).toBeUndefined();
      });

      test("without --use-given-credentials: cannot set up the ServiceAccount, exit 4 with the API server's reason", async () => {
        const run = await meridian("cluster", "register", "reg-reader", "--kubeconfig", readerKubeconfig, "--region", "r", "--force", ...HOME);
        expect(run.code).toBe(4);
        expect(errorLine(run)).toMatch(/^error: cannot create Namespace meridian-system \(403 Forbidden\): namespaces "meridian-system" is forbidden: User "system:serviceaccount:default:e2e-reg-reader" cannot get resource "namespaces"/);
      });
    });

    test("--use-given-credentials with an admin and --strict: exit 4, the excess named", async () => {
      // --force: this server is registered already (as reg-eu); what is checked here is the excess.
      const run = await meridian("cluster", "register", "reg-admin", "--kubeconfig", eu.info.kubeconfig, "--region", "r", "--use-given-credentials", "--strict", "--force", ...HOME);
      expect(run.code).toBe(4);
      expect(errorLine(run)).toContain("error: excess permission (Meridian needs less): every verb on every resource (cluster-wide)");
      expect(await readOrUndefined(home.objects, header("meridian.dev/v1alpha1", "MeshCluster", "reg-admin"))).toBeUndefined();
    });
  });

  test("remove --purge deletes Meridian's labelled objects and RBAC in the member, keeps unlabelled ones, and the registration", async () => {
    const managed = { "app.kubernetes.io/managed-by": "meridian" };
    await ap.objects.create(serviceEntry("reg-purge-labelled", "meridian-sync", managed));
    await ap.objects.create({ apiVersion: "networking.istio.io/v1", kind: "DestinationRule", metadata: { name: "reg-purge-labelled", namespace: "meridian-sync", labels: managed }, spec: { host: "x.global" } } as KubernetesObject);
    await ap.objects.create(serviceEntry("reg-purge-unlabelled", "meridian-sync"));

    const run = await meridian("cluster", "remove", nameOf(ap), "--purge", "--kubeconfig", ap.info.kubeconfig, ...HOME);
    expectOk(run);
    expect(run.stdout).toContain(`Removed cluster ${nameOf(ap)}`);

    const gone = [
      [ap.objects, header("networking.istio.io/v1", "ServiceEntry", "reg-purge-labelled", "meridian-sync")],
      [ap.objects, header("networking.istio.io/v1", "DestinationRule", "reg-purge-labelled", "meridian-sync")],
      [ap.objects, header("v1", "ServiceAccount", "meridian", "meridian-system")],
      [ap.objects, header("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", "meridian-member-read")],
      [ap.objects, header("rbac.authorization.k8s.io/v1", "Role", "meridian-member-write", "meridian-sync")],
      [home.objects, meshCluster(ap)],
      [home.objects, memberSecret(ap)],
    ] as const;
    for (const [objects, object] of gone) expect(await readOrUndefined(objects, object), `${object.kind} ${object.metadata?.name}`).toBeUndefined();
    const kept = header("networking.istio.io/v1", "ServiceEntry", "reg-purge-unlabelled", "meridian-sync");
    expect(await readOrUndefined(ap.objects, kept)).toBeDefined();
    expect(await readOrUndefined(ap.objects, header("v1", "Namespace", "meridian-sync"))).toBeDefined();
    await ap.objects.delete(kept);

    const again = await meridian("cluster", "status", nameOf(ap), ...HOME);
    expect(again).toMatchObject({ code: 1, stderr: `error: cluster "${nameOf(ap)}" is not registered in ${home.info.server} (see meridian cluster list)\n` });
  });
});
