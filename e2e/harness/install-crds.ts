// Installs CRDs into a fresh control plane and waits until each is Established and discoverable.
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import {
  ApiextensionsV1Api,
  ApiException,
  KubernetesObjectApi,
  type KubeConfig,
  type KubernetesObject,
  type V1CustomResourceDefinition,
} from "@kubernetes/client-node";
import { repoRoot } from "./repo-paths.js";
import { waitUntil } from "./wait-until.js";
import { readObjects } from "./yaml-documents.js";

/** Meridian's own CRDs: every `crds/*.yaml` in the repository. */
export async function meridianCrdFiles(): Promise<string[]> {
  const dir = join(repoRoot, "crds");
  const names = await readdir(dir).catch(() => []);
  return names.filter((name) => name.endsWith(".yaml")).sort().map((name) => join(dir, name));
}

export async function readCrds(files: readonly string[]): Promise<V1CustomResourceDefinition[]> {
  const objects = (await Promise.all(files.map(readObjects))).flat();
  return objects.filter((object): object is V1CustomResourceDefinition => object.kind === "CustomResourceDefinition");
}

/** Creates an object, treating "already exists" as done. */
export async function createIfAbsent(client: KubernetesObjectApi, object: KubernetesObject): Promise<void> {
  try {
    await client.create(object);
  } catch (err) {
    if (!(err instanceof ApiException && err.code === 409)) throw err;
  }
}

function isEstablished(crd: V1CustomResourceDefinition): boolean {
  return (crd.status?.conditions ?? []).some((condition) => condition.type === "Established" && condition.status === "True");
}

async function allEstablished(api: ApiextensionsV1Api, names: ReadonlySet<string>): Promise<boolean> {
  const list = await api.listCustomResourceDefinition();
  const established = list.items.filter((crd) => names.has(crd.metadata?.name ?? "") && isEstablished(crd));
  return established.length === names.size;
}

/** Established is set a moment before discovery lists the resource; clients resolve kinds through discovery. */
async function allDiscoverable(kubeConfig: KubeConfig, crds: readonly V1CustomResourceDefinition[]): Promise<boolean> {
  const client = KubernetesObjectApi.makeApiClient(kubeConfig);
  const served = crds.flatMap((crd) =>
    crd.spec.versions.filter((version) => version.served).map((version) => ({ apiVersion: `${crd.spec.group}/${version.name}`, kind: crd.spec.names.kind })),
  );
  // list() fails while discovery does not yet know the kind.
  await Promise.all(served.map(({ apiVersion, kind }) => client.list(apiVersion, kind, undefined, undefined, undefined, undefined, undefined, undefined, 1)));
  return true;
}

export async function installCrds(kubeConfig: KubeConfig, crds: readonly V1CustomResourceDefinition[], timeoutMs: number): Promise<void> {
  const client = KubernetesObjectApi.makeApiClient(kubeConfig);
  await Promise.all(crds.map((crd) => createIfAbsent(client, crd)));
  const api = kubeConfig.makeApiClient(ApiextensionsV1Api);
  const names = new Set(crds.map((crd) => crd.metadata?.name ?? ""));
  await waitUntil(() => allEstablished(api, names), { what: `${names.size} CRDs to be Established`, timeoutMs, intervalMs: 250 });
  await waitUntil(() => allDiscoverable(kubeConfig, crds), { what: `${names.size} CRDs in discovery`, timeoutMs, intervalMs: 250 });
}
