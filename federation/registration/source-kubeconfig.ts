// The kubeconfig a user passes to `register`: selecting its context, and, for
// --use-given-credentials, flattening that context into a stored kubeconfig (files read and
// embedded, entries renamed to `meridian-<cluster>`). File reading is injected, so this stays testable.

import type { KubeConfig } from "@kubernetes/client-node";
import { stringify } from "yaml";

import type { ClusterName } from "../graph-model.js";
import { memberCredentialName } from "../kubeconfig.js";
import { RegistrationError } from "./errors.js";

export type ReadFile = (path: string) => Buffer;

/** Makes `context` (or the file's current context) current; usage errors name the file and the choices. */
export function selectContext(kubeConfig: KubeConfig, context: string | undefined, file: string): string {
  const available = kubeConfig.getContexts().map((c) => c.name);
  const wanted = context ?? kubeConfig.getCurrentContext();
  const choices = available.length === 0 ? "the file has no contexts" : `available: ${available.join(", ")}`;
  if (wanted === undefined || wanted === "") {
    throw new RegistrationError("usage", `no current context in ${file}: pass --context (${choices})`);
  }
  if (!available.includes(wanted)) {
    throw new RegistrationError("usage", `context "${wanted}" not found in ${file}; ${choices}`);
  }
  kubeConfig.setCurrentContext(wanted);
  if (kubeConfig.getCurrentCluster() === null || kubeConfig.getCurrentUser() === null) {
    throw new RegistrationError("usage", `context "${wanted}" in ${file} names a cluster or user that is not in the file`);
  }
  return wanted;
}

/** Base64 PEM of the current cluster's CA (embedded or read from its file), or undefined (system CAs). */
export function caDataOf(kubeConfig: KubeConfig, readFile: ReadFile): string | undefined {
  const cluster = kubeConfig.getCurrentCluster();
  if (cluster === null) {
    return undefined;
  }
  if (cluster.skipTLSVerify) {
    throw new RegistrationError(
      "usage",
      `cluster "${cluster.name}" skips TLS verification (insecure-skip-tls-verify): Meridian stores credentials only for a verified server; set certificate-authority-data`,
    );
  }
  if (cluster.caData !== undefined && cluster.caData !== "") {
    return cluster.caData;
  }
  return cluster.caFile === undefined ? undefined : readEmbedded(readFile, cluster.caFile, "certificate-authority");
}

/** The current context as a stored kubeconfig: one cluster, one user, one context, all `meridian-<cluster>`. */
export function givenCredentialsKubeconfig(kubeConfig: KubeConfig, cluster: ClusterName, readFile: ReadFile): string {
  const source = kubeConfig.getCurrentCluster();
  const user = kubeConfig.getCurrentUser();
  if (source === null || user === null) {
    throw new RegistrationError("usage", "the kubeconfig has no current cluster or user");
  }
  const name = memberCredentialName(cluster);
  const caData = caDataOf(kubeConfig, readFile);
  const clusterEntry: Record<string, string> = { server: source.server };
  if (caData !== undefined) clusterEntry["certificate-authority-data"] = caData;
  if (source.tlsServerName !== undefined) clusterEntry["tls-server-name"] = source.tlsServerName;
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name, cluster: clusterEntry }],
    users: [{ name, user: userEntry(user, readFile) }],
    contexts: [{ name, context: { cluster: name, user: name } }],
    "current-context": name,
  });
}

type SourceUser = NonNullable<ReturnType<KubeConfig["getCurrentUser"]>>;

function userEntry(user: SourceUser, readFile: ReadFile): Record<string, string> {
  refuseUnstorable(user);
  if (user.token !== undefined && user.token !== "") {
    return { token: user.token };
  }
  const certificate = clientCertificate(user, readFile);
  if (certificate !== undefined) {
    return certificate;
  }
  if (user.username !== undefined && user.password !== undefined) {
    return { username: user.username, password: user.password };
  }
  throw new RegistrationError("usage", `--use-given-credentials: user "${user.name}" has no token, client certificate or password to store`);
}

function refuseUnstorable(user: SourceUser): void {
  const unsupported = user.exec !== undefined ? "an exec plugin" : user.authProvider !== undefined ? "an auth-provider" : undefined;
  const what = unsupported ?? (user.impersonateUser === undefined ? undefined : "impersonation");
  if (what !== undefined) {
    throw new RegistrationError(
      "usage",
      `--use-given-credentials: user "${user.name}" uses ${what}, which Meridian does not store; register without --use-given-credentials to create a ServiceAccount token`,
    );
  }
}

function clientCertificate(user: SourceUser, readFile: ReadFile): Record<string, string> | undefined {
  const certData = user.certData ?? (user.certFile === undefined ? undefined : readEmbedded(readFile, user.certFile, "client-certificate"));
  const keyData = user.keyData ?? (user.keyFile === undefined ? undefined : readEmbedded(readFile, user.keyFile, "client-key"));
  return certData === undefined || keyData === undefined ? undefined : { "client-certificate-data": certData, "client-key-data": keyData };
}

function readEmbedded(readFile: ReadFile, path: string, field: string): string {
  try {
    return readFile(path).toString("base64");
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    throw new RegistrationError("usage", `cannot read ${field} file ${path}${typeof code === "string" ? ` (${code})` : ""}`);
  }
}
