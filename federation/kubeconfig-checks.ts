// The checks a kubeconfig from a Secret must pass before client-node sees it: the current context
// resolves to a cluster with a server and a user with credentials, nothing is read from a file and
// nothing is executed unless allowed. Messages name entries and fields, never their values.

export type KubeconfigProblem =
  | "SecretNotFound"
  | "KeyMissing"
  | "NotBase64"
  | "NotYaml"
  | "NotKubeconfig"
  | "NoCurrentContext"
  | "ContextNotFound"
  | "ClusterNotFound"
  | "UserNotFound"
  | "NoServer"
  | "FileReference"
  | "UnsupportedAuth"
  | "NoCredentials"
  | "Rejected";

export interface KubeconfigCheckOptions {
  /** Allow `exec` credential plugins (they run a command inside the controller). Default false. */
  allowExec?: boolean;
  /** Allow `auth-provider` entries (gcp, azure, oidc). Default false. */
  allowAuthProvider?: boolean;
}

export type RawEntry = Readonly<Record<string, unknown>>;

export interface SelectedEntries {
  context: RawEntry;
  cluster: RawEntry;
  user: RawEntry;
}

export type CheckResult = { selected: SelectedEntries } | { problem: KubeconfigProblem; why: string };

interface Named {
  contextName: string;
  clusterName: string;
  userName: string;
}

type Selection = SelectedEntries & Named;

const CLUSTER_FILES = ["certificate-authority"] as const;
const USER_FILES: readonly (readonly [string, string])[] = [
  ["token-file", "token"],
  ["client-certificate", "client-certificate-data"],
  ["client-key", "client-key-data"],
];

export function checkKubeconfig(document: unknown, options: KubeconfigCheckOptions): CheckResult {
  const root = asRecord(document);
  if (root === undefined) {
    return { problem: "NotKubeconfig", why: "the value is not a kubeconfig (expected a mapping with clusters, contexts and users)" };
  }
  const selected = selectCurrent(root);
  if ("problem" in selected) {
    return selected;
  }
  const problem = serverProblem(selected) ?? fileProblem(selected) ?? authProblem(selected, options) ?? credentialsProblem(selected);
  return problem ?? { selected: { context: selected.context, cluster: selected.cluster, user: selected.user } };
}

function selectCurrent(root: RawEntry): Selection | { problem: KubeconfigProblem; why: string } {
  const contextName = root["current-context"];
  if (typeof contextName !== "string" || contextName === "") {
    return { problem: "NoCurrentContext", why: "current-context is not set" };
  }
  const context = findEntry(root["contexts"], contextName, "context");
  if (context === undefined) {
    return { problem: "ContextNotFound", why: `current-context "${contextName}" is not among contexts` };
  }
  const cluster = resolveReference(root, context, contextName, "cluster");
  if ("problem" in cluster) {
    return cluster;
  }
  const user = resolveReference(root, context, contextName, "user");
  if ("problem" in user) {
    return user;
  }
  return { context, cluster: cluster.entry, user: user.entry, contextName, clusterName: cluster.name, userName: user.name };
}

/** The cluster or user a context names, looked up in `clusters` or `users`. */
function resolveReference(
  root: RawEntry,
  context: RawEntry,
  contextName: string,
  kind: "cluster" | "user",
): { name: string; entry: RawEntry } | { problem: KubeconfigProblem; why: string } {
  const problem = kind === "cluster" ? "ClusterNotFound" : "UserNotFound";
  const name = nonEmptyString(context[kind]);
  if (name === undefined) {
    return { problem, why: `context "${contextName}" names no ${kind}` };
  }
  const entry = findEntry(root[`${kind}s`], name, kind);
  if (entry === undefined) {
    return { problem, why: `context "${contextName}" names ${kind} "${name}", which is not among ${kind}s` };
  }
  return { name, entry };
}

function serverProblem(selected: Selection): CheckResult | undefined {
  const server = nonEmptyString(selected.cluster["server"]);
  if (server === undefined) {
    return { problem: "NoServer", why: `cluster "${selected.clusterName}" has no server` };
  }
  if (!isHttpUrl(server)) {
    return { problem: "NoServer", why: `cluster "${selected.clusterName}" has a server that is not an http(s) URL` };
  }
  return undefined;
}

function fileProblem(selected: Selection): CheckResult | undefined {
  const clusterFile = CLUSTER_FILES.find((field) => selected.cluster[field] !== undefined);
  if (clusterFile !== undefined) {
    return { problem: "FileReference", why: `cluster "${selected.clusterName}" reads ${clusterFile} from a file; embed ${clusterFile}-data instead` };
  }
  const userFile = USER_FILES.find(([field]) => selected.user[field] !== undefined);
  if (userFile !== undefined) {
    return { problem: "FileReference", why: `user "${selected.userName}" reads ${userFile[0]} from a file; embed ${userFile[1]} instead` };
  }
  return undefined;
}

function authProblem(selected: Selection, options: KubeconfigCheckOptions): CheckResult | undefined {
  if (selected.user["exec"] !== undefined && options.allowExec !== true) {
    return { problem: "UnsupportedAuth", why: `user "${selected.userName}" uses an exec plugin, which is not allowed (it would run a command in the controller)` };
  }
  if (selected.user["auth-provider"] !== undefined && options.allowAuthProvider !== true) {
    return { problem: "UnsupportedAuth", why: `user "${selected.userName}" uses an auth-provider, which is not allowed` };
  }
  return undefined;
}

function credentialsProblem(selected: Selection): CheckResult | undefined {
  const user = selected.user;
  const has = (field: string): boolean => nonEmptyString(user[field]) !== undefined;
  const plugin = user["exec"] !== undefined || user["auth-provider"] !== undefined;
  if (has("token") || (has("client-certificate-data") && has("client-key-data")) || (has("username") && has("password")) || plugin) {
    return undefined;
  }
  return { problem: "NoCredentials", why: `user "${selected.userName}" has no credentials (token, client certificate and key, or username and password)` };
}

/** The body (`cluster`, `user` or `context` field) of the entry called `name` in a kubeconfig list. */
function findEntry(list: unknown, name: string, field: string): RawEntry | undefined {
  if (!Array.isArray(list)) {
    return undefined;
  }
  const entry = list.map(asRecord).find((item) => item?.["name"] === name);
  return entry === undefined ? undefined : (asRecord(entry[field]) ?? {});
}

function asRecord(value: unknown): RawEntry | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as RawEntry) : undefined;
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "https:" || url.protocol === "http:") && url.hostname !== "";
  } catch {
    return false;
  }
}
