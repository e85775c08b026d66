// `register`: connect to the member, give Meridian a least-privilege ServiceAccount there, verify
// what the stored credentials can do, then store them and the MeshCluster in the home cluster.
// Everything that can be checked without writing is checked before the first write.

import type { KubeConfig } from "@kubernetes/client-node";

import { DEFAULT_GATEWAY_PORT } from "../../crds/index.js";

import type { Condition, ConditionUpdate } from "../conditions.js";
import type { ClusterName } from "../graph-model.js";
import type { ObjectChange } from "./apply.js";
import { serverOf } from "../kube/clients.js";
import { registrationConflict, sameServerConflict } from "./conflicts.js";
import type { ExistingRegistration } from "./conflicts.js";
import { verifiedCredentials } from "./credentials.js";
import type { TokenState } from "./credentials.js";
import { describeChecks } from "./access-requirements.js";
import { checkEastWestGateway, recordGatewayCondition } from "./east-west-gateway-check.js";
import { eastWestGatewayCondition } from "./east-west-gateway.js";
import type { GatewayFinding, GatewayWanted } from "./east-west-gateway.js";
import { RegistrationError } from "./errors.js";
import { InvalidRegistrationError, memberSecretManifest, meshClusterManifest, placementWarnings, redactedSecret } from "./home-manifests.js";
import type { Placement } from "./home-manifests.js";
import { listMeshClusters, readRegistration, storeRegistration } from "./home-store.js";
import { memberManifests } from "./member-rbac.js";
import type { Manifest } from "./member-rbac.js";
import { serverVersion, setUpMember } from "./member-setup.js";
import type { CredentialsSource } from "./names.js";
import { caDataOf } from "./source-kubeconfig.js";
import type { ReadFile } from "./source-kubeconfig.js";

export interface RegisterRequest {
  cluster: ClusterName;
  /** The user's kubeconfig for the member, its context selected. */
  member: KubeConfig;
  home: KubeConfig;
  placement: Placement;
  /** The suffix of Meridian's global hosts (the controller's --host-suffix): the east-west Gateway must pass `*.<suffix>` through. */
  hostSuffix: string;
  useGivenCredentials: boolean;
  dryRun: boolean;
  /** Take over a name registered for another server, or objects register did not create. */
  force: boolean;
  /** Refuse credentials that can do more than Meridian needs (default: warn). */
  strict: boolean;
  /** Request a new token even when the stored one is still valid. */
  rotateToken: boolean;
  /** How long to wait for new RBAC bindings to take effect. */
  settleMs: number;
  readFile: ReadFile;
  now: () => Date;
  /** Progress lines for people; never contain secret material. */
  progress: (line: string) => void;
}

export interface RegisterResult {
  cluster: string;
  server: string;
  serverVersion: string;
  dryRun: boolean;
  credentials: { source: CredentialsSource; token: TokenState; expires?: string };
  access?: { checked: number; excess: string; notChecked: string };
  /** What the member's Istio Gateways say about passthrough of Meridian's hosts (see east-west-gateway.ts). */
  eastWestGateway: GatewayFinding;
  member: ObjectChange[];
  home: ObjectChange[];
  warnings: string[];
  /** What was (or would be) written; the Secret's data redacted. */
  manifests: { member: Manifest[]; home: Manifest[] };
}

export async function registerCluster(request: RegisterRequest): Promise<RegisterResult> {
  const server = serverOf(request.member);
  const meshCluster = buildMeshCluster(request, server);
  const caData = request.useGivenCredentials ? undefined : caDataOf(request.member, request.readFile);
  const version = await serverVersion(request.member);
  request.progress(`Connected to ${server} (Kubernetes ${version})`);
  const { existing, warnings } = await checkHome(request, server);
  const { gateway, gatewayCondition } = await gatewayCheck(request);
  const member = request.useGivenCredentials ? [] : await setUpMember(request.member, request.dryRun);
  if (!request.useGivenCredentials) reportChanges(request, "Member cluster", member);
  // A ServiceAccount created just now has a new UID: a stored token of the old one is stale.
  const rotateToken = request.rotateToken || member.some((change) => change.kind === "ServiceAccount" && change.action === "created");
  const verified = await verifiedCredentials({ ...request, rotateToken, server, caData }, existing.secret);
  const secret = memberSecretManifest(request.cluster, server, verified.credentials);
  const home = await storeRegistration(request.home, secret, meshCluster, request.dryRun);
  reportChanges(request, "Home cluster", home);
  if (!request.dryRun) await recordGatewayCondition({ home: request.home, cluster: request.cluster, previous: previousConditions(existing) }, gatewayCondition, request.now());
  const { source, expires } = verified.credentials;
  return {
    cluster: request.cluster,
    server,
    serverVersion: version,
    dryRun: request.dryRun,
    credentials: { source, token: verified.token, ...(expires === undefined ? {} : { expires }) },
    ...(verified.access === undefined
      ? {}
      : { access: { checked: verified.access.checked, excess: describeChecks(verified.access.excess), notChecked: describeChecks(verified.access.skipped) } }),
    eastWestGateway: gateway,
    member,
    home,
    warnings: [...warnings, ...placementWarnings(request.cluster, request.placement), ...gatewayWarnings(gatewayCondition), ...verified.warnings],
    manifests: { member: request.useGivenCredentials ? [] : memberManifests(), home: [redactedSecret(secret), meshCluster] },
  };
}

/** The member's east-west Gateway, checked with the user's credentials (read only), and the condition that reports it. */
async function gatewayCheck(request: RegisterRequest): Promise<{ gateway: GatewayFinding; gatewayCondition: ConditionUpdate }> {
  const wanted: GatewayWanted = { suffix: request.hostSuffix, port: request.placement.gateway?.port ?? DEFAULT_GATEWAY_PORT };
  const gateway = await checkEastWestGateway(request.member, wanted);
  const gatewayCondition = eastWestGatewayCondition(gateway, wanted);
  request.progress(`East-west gateway: ${gatewayCondition.message ?? ""}`);
  return { gateway, gatewayCondition };
}

function previousConditions(existing: ExistingRegistration): Condition[] | undefined {
  return (existing.meshCluster as { status?: { conditions?: Condition[] } } | undefined)?.status?.conditions;
}

/** A missing or unchecked passthrough Gateway is a warning: registration itself does not need it. */
function gatewayWarnings(condition: { status: string; message?: string }): string[] {
  return condition.status === "True" ? [] : [condition.message ?? ""];
}

function buildMeshCluster(request: RegisterRequest, server: string): Manifest {
  try {
    return meshClusterManifest(request.cluster, server, request.placement);
  } catch (err) {
    if (err instanceof InvalidRegistrationError) throw new RegistrationError("usage", err.message);
    throw err;
  }
}

/** Conflicts are errors unless --force: the name taken by another server, or this server taken by another name. */
async function checkHome(request: RegisterRequest, server: string): Promise<{ existing: ExistingRegistration; warnings: string[] }> {
  const existing = await readRegistration(request.home, request.cluster);
  const conflict = registrationConflict(existing, request.cluster, server) ?? sameServerConflict(await listMeshClusters(request.home), request.cluster, server);
  if (conflict !== undefined && !request.force) {
    throw new RegistrationError("conflict", conflict);
  }
  return { existing, warnings: conflict === undefined ? [] : [`--force: ${conflict}`] };
}

const DRY_RUN_VERBS: Record<string, string> = { created: "would create", updated: "would update" };

function reportChanges(request: RegisterRequest, where: string, changes: readonly ObjectChange[]): void {
  const changed = changes.filter((change) => change.action !== "unchanged");
  const list = changed.map((c) => `${request.dryRun ? (DRY_RUN_VERBS[c.action] ?? c.action) : c.action} ${describeObject(c)}`).join(", ");
  request.progress(changed.length === 0 ? `${where}: nothing to change` : `${where}: ${list}`);
}

export function describeObject(change: ObjectChange): string {
  return `${change.kind} ${change.namespace === undefined ? "" : `${change.namespace}/`}${change.name}`;
}
