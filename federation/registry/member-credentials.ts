// A member's credentials as the registry sees them: where they come from, a fingerprint of the
// Secret's content (so unchanged content is not parsed again), and the parsed KubeConfig or the
// reason it cannot be used. The fingerprint is a hash: secret material is never kept in plain view.

import { createHash } from "node:crypto";
import type { KubeConfig, V1Secret } from "@kubernetes/client-node";

import type { ClusterName } from "../graph-model.js";
import { InvalidKubeconfigError, kubeConfigFromSecret } from "../kubeconfig.js";
import type { KubeconfigCheckOptions, SecretKeyRef } from "../kubeconfig.js";
import { REASONS } from "./reasons.js";

export interface CredentialSource {
  readonly ref: SecretKeyRef;
  /** Undefined when the Secret does not exist (or is outside the watched namespace). */
  readonly secret: V1Secret | undefined;
  /** The namespace whose Secrets the registry reads. */
  readonly watchedNamespace: string;
}

export type Credentials =
  | { readonly ok: true; readonly fingerprint: string; readonly kubeConfig: KubeConfig; readonly server: string }
  | { readonly ok: false; readonly fingerprint: string; readonly reason: string; readonly message: string };

export function describeSecretRef(ref: SecretKeyRef): string {
  return `${ref.namespace}/${ref.name}, key "${ref.key}"`;
}

export function credentialFingerprint(source: CredentialSource): string {
  const { ref, secret } = source;
  const value = secret?.data?.[ref.key];
  return createHash("sha256")
    .update(`${ref.namespace}/${ref.name}/${ref.key}\u0000${secret === undefined ? "absent" : "present"}\u0000${value ?? ""}`)
    .digest("hex");
}

export function credentialsFrom(source: CredentialSource, cluster: ClusterName, checks: KubeconfigCheckOptions): Credentials {
  const fingerprint = credentialFingerprint(source);
  const { ref } = source;
  if (ref.namespace !== source.watchedNamespace) {
    const message = `Secret ${describeSecretRef(ref)} is outside namespace ${source.watchedNamespace}, the only one whose Secrets Meridian reads; move the Secret there and update spec.kubeconfigSecretRef`;
    return { ok: false, fingerprint, reason: REASONS.SecretOutsideNamespace, message };
  }
  try {
    const kubeConfig = kubeConfigFromSecret(source.secret, ref, cluster, checks);
    return { ok: true, fingerprint, kubeConfig, server: kubeConfig.getCurrentCluster()?.server ?? "" };
  } catch (err) {
    if (err instanceof InvalidKubeconfigError) {
      return { ok: false, fingerprint, reason: err.reason, message: `${err.message}; ${hintFor(err.reason, cluster)}` };
    }
    throw err;
  }
}

function hintFor(reason: string, cluster: ClusterName): string {
  const register = `\`meridian cluster register ${cluster}\` stores working credentials`;
  switch (reason) {
    case "SecretNotFound":
      return `create it (${register})`;
    case "KeyMissing":
      return `store the kubeconfig under that key (${register})`;
    case "FileReference":
    case "UnsupportedAuth":
      return `embed the credentials in the kubeconfig (${register})`;
    default:
      return `store a valid kubeconfig there (${register})`;
  }
}
