// The charts' ServiceAccounts installed into harness control planes, with a TokenRequest token and a
// kubeconfig file authenticated as them: for the RBAC proofs in deploy-rbac.e2e.test.ts, and for
// running the controller in-process with exactly the chart's permissions (pass `kubeconfigFile` as
// its --kubeconfig / KUBECONFIG).
import { randomUUID } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AuthorizationV1Api, PatchStrategy, type KubeConfig, type KubernetesObject, type V1ResourceAttributes } from "@kubernetes/client-node";
import { ensureHelm, type Helm } from "./harness/helm.js";
import { CHARTS, DEFAULT_NAMESPACE, DEFAULT_RELEASE, helmTemplate, type ChartOptions } from "./harness/helm-chart.js";
import { readHarnessConfig } from "./harness/harness-config.js";
import { waitUntil } from "./harness/wait-until.js";
import { parseObjects } from "./harness/yaml-documents.js";
import { kubeConfigWithToken, type ConnectedControlPlane } from "./support/clusters.js";

const FIELD_MANAGER = "meridian-e2e-deploy";
/** The home chart's RBAC templates: its ServiceAccount, ClusterRole, Role and their bindings. */
export const HOME_RBAC_TEMPLATES: readonly string[] = ["templates/serviceaccount.yaml", "templates/rbac.yaml"];

export interface ChartIdentity {
  readonly namespace: string;
  readonly serviceAccount: string;
  /** `system:serviceaccount:<namespace>:<name>`, as the API server names it. */
  readonly username: string;
  readonly token: string;
  /** Authenticates as the ServiceAccount (a user name of its own: client-node caches credentials by name). */
  readonly kubeConfig: KubeConfig;
  /** The same as a file, for the controller's --kubeconfig or anything that wants a path. */
  readonly kubeconfigFile: string;
  /** The objects that were applied. */
  readonly objects: readonly KubernetesObject[];
  /** Removes the kubeconfig file (it holds the token); the RBAC stays installed. */
  dispose(): Promise<void>;
}

let helmPromise: Promise<Helm> | undefined;

/** The pinned helm, built once per process if needed (see e2e/harness/helm.ts). */
export function deployHelm(): Promise<Helm> {
  helmPromise ??= ensureHelm(readHarnessConfig());
  return helmPromise;
}

/** Renders `chart` and parses it with client-node's loader (ready to send). */
export async function renderObjects(chart: string, options: ChartOptions = {}): Promise<KubernetesObject[]> {
  return parseObjects(await helmTemplate(await deployHelm(), chart, options));
}

/** Server-side applies every object as the admin (idempotent: re-running against the same servers works). */
export async function applyAll(plane: ConnectedControlPlane, objects: readonly KubernetesObject[]): Promise<void> {
  for (const object of objects) await plane.objects.patch(object, undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply);
}

/** Asks the API server, as whoever `kubeConfig` authenticates, whether it may do `attributes`. */
export async function canI(kubeConfig: KubeConfig, attributes: V1ResourceAttributes): Promise<boolean> {
  const review = await kubeConfig.makeApiClient(AuthorizationV1Api).createSelfSubjectAccessReview({ body: { spec: { resourceAttributes: attributes } } });
  return review.status?.allowed === true;
}

export interface IdentityRequest {
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly objects: readonly KubernetesObject[];
  /** Something the ServiceAccount may do once its bindings took effect. */
  readonly probe: V1ResourceAttributes;
}

/** A TokenRequest token and kubeconfig for a ServiceAccount that exists in `plane`, once `probe` is allowed. */
export async function identityOf(plane: ConnectedControlPlane, request: IdentityRequest): Promise<ChartIdentity> {
  const { namespace, serviceAccount, probe } = request;
  const tokenRequest = await plane.core.createNamespacedServiceAccountToken({
    namespace,
    name: serviceAccount,
    body: { spec: { audiences: [], expirationSeconds: 3600 } },
  });
  const token = tokenRequest.status?.token ?? "";
  const kubeConfig = kubeConfigWithToken(plane.kubeConfig, `${serviceAccount}-${plane.info.name}-${randomUUID().slice(0, 8)}`, token);
  // The RBAC authorizer learns of new bindings through a watch: wait until the grant is visible.
  await waitUntil(() => canI(kubeConfig, probe), { what: `the bindings of ${namespace}/${serviceAccount} to take effect`, timeoutMs: 15_000 });
  const dir = await mkdtemp(join(tmpdir(), "meridian-deploy-"));
  const kubeconfigFile = join(dir, "kubeconfig");
  await writeFile(kubeconfigFile, kubeConfig.exportConfig(), { mode: 0o600 });
  return {
    namespace,
    serviceAccount,
    username: `system:serviceaccount:${namespace}:${serviceAccount}`,
    token,
    kubeConfig,
    kubeconfigFile,
    objects: request.objects,
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}

/**
 * Installs the home chart's ServiceAccount and RBAC (rendered by the real helm with default values,
 * release `meridian`, namespace `meridian-system`, unless `options` say otherwise) into `home`, and
 * returns a kubeconfig authenticated as that ServiceAccount. Installs nothing else: the CRDs and the
 * namespace are the harness's.
 */
export async function installHomeRbac(home: ConnectedControlPlane, options: ChartOptions = {}): Promise<ChartIdentity> {
  const namespace = options.namespace ?? DEFAULT_NAMESPACE;
  const objects = await renderObjects(CHARTS.meridian, { release: DEFAULT_RELEASE, ...options, namespace, showOnly: HOME_RBAC_TEMPLATES });
  await applyAll(home, objects);
  const serviceAccount = objects.find((object) => object.kind === "ServiceAccount")?.metadata?.name;
  if (serviceAccount === undefined) throw new Error("The meridian chart rendered no ServiceAccount.");
  return identityOf(home, { namespace, serviceAccount, objects, probe: { verb: "list", group: "meridian.dev", resource: "meshclusters" } });
}

/** Installs the meridian-member chart into `member` and returns a kubeconfig authenticated as its ServiceAccount. */
export async function installMemberRbac(member: ConnectedControlPlane): Promise<ChartIdentity> {
  const objects = await renderObjects(CHARTS.member, { release: "meridian-member", namespace: DEFAULT_NAMESPACE });
  await applyAll(member, objects);
  return identityOf(member, {
    namespace: DEFAULT_NAMESPACE,
    serviceAccount: "meridian",
    objects,
    probe: { verb: "create", group: "networking.istio.io", resource: "serviceentries", namespace: "meridian-sync" },
  });
}
