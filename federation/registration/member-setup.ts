// I/O in the member cluster with the user's (admin) credentials: its version, the ServiceAccount and
// RBAC Meridian needs, and a token for that ServiceAccount from the TokenRequest API (no token
// controller needed, unlike a `kubernetes.io/service-account-token` Secret).

import { CoreV1Api, KubernetesObjectApi, VersionApi } from "@kubernetes/client-node";
import type { KubeConfig } from "@kubernetes/client-node";

import { applyObject, changeOf, createIfMissing } from "./apply.js";
import type { ObjectChange } from "./apply.js";
import { makeClient, serverOf } from "../kube/clients.js";
import { classifyError } from "./errors.js";
import { memberNamespaces, memberRbacObjects } from "./member-rbac.js";
import type { Manifest } from "./member-rbac.js";
import { MERIDIAN_NAMESPACE, SERVICE_ACCOUNT } from "./names.js";
import { rfc3339, TOKEN_LIFETIME_SECONDS } from "./token.js";

/** The server's `gitVersion` (e.g. `v1.36.3`); the first call, so it also proves the server is reachable and the credentials accepted. */
export async function serverVersion(kubeConfig: KubeConfig): Promise<string> {
  const server = serverOf(kubeConfig);
  try {
    const version = await makeClient(kubeConfig, VersionApi).getCode();
    return version.gitVersion;
  } catch (err) {
    throw classifyError(err, { server, action: `read /version of ${server}` });
  }
}

/**
 * Namespaces (created when missing), then the ServiceAccount, roles and bindings (applied). In a dry
 * run, objects in a namespace that does not exist yet are reported as to be created: the API server
 * cannot dry-run them.
 */
export async function setUpMember(kubeConfig: KubeConfig, dryRun: boolean): Promise<ObjectChange[]> {
  const objects = makeClient(kubeConfig, KubernetesObjectApi);
  const changes: ObjectChange[] = [];
  for (const namespace of memberNamespaces()) {
    changes.push(await guarded(kubeConfig, namespace, "create", () => createIfMissing(objects, namespace, dryRun)));
  }
  const missing = new Set(changes.filter((change) => dryRun && change.action === "created").map((change) => change.name));
  for (const manifest of memberRbacObjects()) {
    const inMissing = manifest.metadata.namespace !== undefined && missing.has(manifest.metadata.namespace);
    changes.push(inMissing ? changeOf(manifest, "created") : await guarded(kubeConfig, manifest, "apply", () => applyObject(objects, manifest, dryRun)));
  }
  return changes;
}

export interface IssuedToken {
  token: string;
  /** RFC 3339, as granted by the API server. */
  expires: string;
}

export async function requestToken(kubeConfig: KubeConfig): Promise<IssuedToken> {
  const core = makeClient(kubeConfig, CoreV1Api);
  try {
    const request = await core.createNamespacedServiceAccountToken({
      namespace: MERIDIAN_NAMESPACE,
      name: SERVICE_ACCOUNT,
      body: { spec: { audiences: [], expirationSeconds: TOKEN_LIFETIME_SECONDS } },
    });
    const token = request.status?.token;
    const expires = request.status?.expirationTimestamp;
    if (token === undefined || token === "" || expires === undefined) {
      throw new Error("the TokenRequest returned no token");
    }
    return { token, expires: rfc3339(new Date(expires)) };
  } catch (err) {
    throw classifyError(err, { server: serverOf(kubeConfig), action: `request a token for ServiceAccount ${MERIDIAN_NAMESPACE}/${SERVICE_ACCOUNT}` });
  }
}

async function guarded(kubeConfig: KubeConfig, manifest: Manifest, verb: string, write: () => Promise<ObjectChange>): Promise<ObjectChange> {
  try {
    return await write();
  } catch (err) {
    const where = manifest.metadata.namespace === undefined ? "" : ` in namespace ${manifest.metadata.namespace}`;
    throw classifyError(err, { server: serverOf(kubeConfig), action: `${verb} ${manifest.kind} ${manifest.metadata.name}${where}` });
  }
}
