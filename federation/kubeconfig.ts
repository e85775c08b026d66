// Member-cluster credentials: a kubeconfig stored in a Secret of the home cluster, turned into a
// client-node KubeConfig without touching the filesystem, and the token kubeconfig that registration
// stores. Errors name the Secret, the key and what is wrong, never any secret material.
//
// Only the current context is kept, renamed (context, cluster and user) to `meridian-<cluster>`, so
// two members whose kubeconfigs share a user name never share cached credentials (client-node #592).
// Like Istio's remote secrets (PILOT_INSECURE_MULTICLUSTER_KUBECONFIG_OPTIONS), a kubeconfig from a
// Secret may not read files of the controller (token-file, client-certificate, client-key,
// certificate-authority: client-node would read them while loading, e.g. the controller's own
// ServiceAccount token) and may not run `exec` plugins or `auth-provider`s unless allowed.

import { KubeConfig } from "@kubernetes/client-node";
import type { V1Secret } from "@kubernetes/client-node";
import { parse, stringify } from "yaml";

import type { ClusterName } from "./graph-model.js";
import { checkKubeconfig, isHttpUrl } from "./kubeconfig-checks.js";
import type { KubeconfigCheckOptions, KubeconfigProblem, SelectedEntries } from "./kubeconfig-checks.js";

export type { KubeconfigCheckOptions, KubeconfigProblem } from "./kubeconfig-checks.js";

export interface SecretKeyRef {
  namespace: string;
  name: string;
  key: string;
}

/** A kubeconfig Secret that cannot be used; `reason` fits a Condition's reason. */
export class InvalidKubeconfigError extends Error {
  override readonly name = "InvalidKubeconfigError";
  readonly secretRef: SecretKeyRef;
  readonly reason: KubeconfigProblem;

  constructor(secretRef: SecretKeyRef, reason: KubeconfigProblem, why: string) {
    super(`Kubeconfig in Secret ${secretRef.namespace}/${secretRef.name}, key "${secretRef.key}": ${why}`);
    this.secretRef = secretRef;
    this.reason = reason;
  }
}

/** The context, cluster and user name given to a member cluster's credentials. */
export function memberCredentialName(cluster: ClusterName): string {
  return `meridian-${cluster}`;
}

/**
 * Parses `secret.data[ref.key]` (base64, as the API returns it) for member `cluster`. `secret` is
 * undefined when the Secret does not exist. Throws InvalidKubeconfigError.
 */
export function kubeConfigFromSecret(
  secret: V1Secret | undefined,
  ref: SecretKeyRef,
  cluster: ClusterName,
  options: KubeconfigCheckOptions = {},
): KubeConfig {
  const text = decodeKey(secret, ref);
  const document = parseYaml(text, ref);
  const checked = checkKubeconfig(document, options);
  if ("problem" in checked) {
    throw new InvalidKubeconfigError(ref, checked.problem, checked.why);
  }
  const name = memberCredentialName(cluster);
  const kc = new KubeConfig();
  try {
    // JSON is YAML that client-node's parser reads without anchors or merge keys: it sees exactly
    // the entries checked above.
    kc.loadFromString(JSON.stringify(renamed(checked.selected, name)));
  } catch {
    throw new InvalidKubeconfigError(ref, "Rejected", "client-node rejected the selected context");
  }
  return kc;
}

export interface TokenKubeconfigInput {
  cluster: ClusterName;
  /** The member's API server, `https://…`. */
  server: string;
  /** Bearer token of the ServiceAccount Meridian uses in the member cluster. */
  token: string;
  /** Base64 PEM of the server's CA, as in a ServiceAccount token Secret's `ca.crt` data. */
  caData?: string;
}

/** A kubeconfig (YAML) holding one token credential named after the member cluster. */
export function tokenKubeconfig(input: TokenKubeconfigInput): string {
  if (!isHttpUrl(input.server)) {
    throw new TypeError(`Token kubeconfig for cluster ${input.cluster}: server must be an http(s) URL`);
  }
  if (input.token === "") {
    throw new TypeError(`Token kubeconfig for cluster ${input.cluster}: token is empty`);
  }
  if (input.caData !== undefined && !isBase64(input.caData)) {
    throw new TypeError(`Token kubeconfig for cluster ${input.cluster}: caData must be base64 (of the PEM certificate)`);
  }
  const name = memberCredentialName(input.cluster);
  const cluster = input.caData === undefined ? { server: input.server } : { server: input.server, "certificate-authority-data": input.caData };
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name, cluster }],
    users: [{ name, user: { token: input.token } }],
    contexts: [{ name, context: { cluster: name, user: name } }],
    "current-context": name,
  });
}

function decodeKey(secret: V1Secret | undefined, ref: SecretKeyRef): string {
  if (secret === undefined) {
    throw new InvalidKubeconfigError(ref, "SecretNotFound", "the Secret does not exist");
  }
  const encoded = secret.data?.[ref.key];
  if (encoded === undefined || encoded === "") {
    const keys = Object.keys(secret.data ?? {}).sort();
    const present = keys.length === 0 ? "the Secret has no data" : `keys present: ${keys.join(", ")}`;
    throw new InvalidKubeconfigError(ref, "KeyMissing", `the key is missing or empty (${present})`);
  }
  if (!isBase64(encoded)) {
    throw new InvalidKubeconfigError(ref, "NotBase64", "the value is not base64");
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(Buffer.from(encoded, "base64"));
  } catch {
    throw new InvalidKubeconfigError(ref, "NotYaml", "the value is not UTF-8 text");
  }
}

function parseYaml(text: string, ref: SecretKeyRef): unknown {
  try {
    return parse(text, { merge: true });
  } catch (err) {
    // The parser's message quotes the offending source line: report only its code and position.
    const detail = err instanceof Error && "code" in err ? ` (${String(err.code)}${lineOf(err)})` : "";
    throw new InvalidKubeconfigError(ref, "NotYaml", `the value is not valid YAML${detail}`);
  }
}

function lineOf(err: Error): string {
  const positions = (err as { linePos?: { line: number }[] }).linePos;
  const line = positions?.[0]?.line;
  return line === undefined ? "" : ` at line ${line}`;
}

function renamed(selected: SelectedEntries, name: string): unknown {
  const namespace = selected.context["namespace"];
  const context = typeof namespace === "string" ? { cluster: name, user: name, namespace } : { cluster: name, user: name };
  return {
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name, cluster: selected.cluster }],
    users: [{ name, user: selected.user }],
    contexts: [{ name, context }],
    "current-context": name,
  };
}

function isBase64(value: string): boolean {
  return value.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(value);
}
