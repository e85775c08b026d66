// The credentials register stores for a member, verified before they are stored: the ServiceAccount
// token (reused while valid, else requested) or, with --use-given-credentials, the user's own context.
// Verification loads the Secret exactly as the registry will (kubeConfigFromSecret) and asks the
// member's API server what those credentials may do.

import type { KubeConfig, KubernetesObject, V1Secret } from "@kubernetes/client-node";

import type { ClusterName } from "../graph-model.js";
import { InvalidKubeconfigError, kubeConfigFromSecret, tokenKubeconfig } from "../kubeconfig.js";
import { excessPermissionMessage, missingPermissionMessage } from "./access-requirements.js";
import { reviewAccess } from "./access-review.js";
import type { AccessReport } from "./access-review.js";
import { serverOf } from "../kube/clients.js";
import { RegistrationError } from "./errors.js";
import { memberSecretManifest } from "./home-manifests.js";
import type { MemberCredentials } from "./home-manifests.js";
import { requestToken } from "./member-setup.js";
import { KUBECONFIG_KEY, MERIDIAN_NAMESPACE, memberSecretName } from "./names.js";
import { reuseVerdict, shortLifetimeWarning } from "./token.js";
import { givenCredentialsKubeconfig } from "./source-kubeconfig.js";
import type { ReadFile } from "./source-kubeconfig.js";

export type TokenState = "created" | "reused" | "planned" | "given";

export interface CredentialsRequest {
  cluster: ClusterName;
  member: KubeConfig;
  server: string;
  caData: string | undefined;
  useGivenCredentials: boolean;
  rotateToken: boolean;
  dryRun: boolean;
  strict: boolean;
  settleMs: number;
  now: () => Date;
  readFile: ReadFile;
  progress: (line: string) => void;
}

export interface VerifiedCredentials {
  credentials: MemberCredentials;
  token: TokenState;
  /** undefined when nothing could be verified (a dry run that would create the token). */
  access?: AccessReport;
  warnings: string[];
}

const PLANNED_TOKEN = "token-requested-at-registration";

export async function verifiedCredentials(request: CredentialsRequest, existingSecret: KubernetesObject | undefined): Promise<VerifiedCredentials> {
  if (request.useGivenCredentials) {
    const credentials: MemberCredentials = { kubeconfig: givenCredentialsKubeconfig(request.member, request.cluster, request.readFile), source: "given" };
    return { credentials, token: "given", ...(await verify(request, credentials, 0)) };
  }
  const reused = request.rotateToken ? undefined : reusable(request, existingSecret);
  if (reused !== undefined) {
    try {
      return { credentials: reused, token: "reused", ...(await verify(request, reused, request.settleMs)) };
    } catch (err) {
      if (!(err instanceof RegistrationError && err.kind === "credentials")) throw err;
      request.progress("The stored token was rejected; requesting a new one");
    }
  }
  if (request.dryRun) {
    return { credentials: tokenCredentials(request, PLANNED_TOKEN, undefined), token: "planned", warnings: [] };
  }
  const issued = await requestToken(request.member);
  const credentials = tokenCredentials(request, issued.token, issued.expires);
  const lifetime = shortLifetimeWarning(new Date(issued.expires), request.now());
  const verified = await verify(request, credentials, request.settleMs);
  return { credentials, token: "created", ...verified, warnings: [...(lifetime === undefined ? [] : [lifetime]), ...verified.warnings] };
}

function tokenCredentials(request: CredentialsRequest, token: string, expires: string | undefined): MemberCredentials {
  const kubeconfig = tokenKubeconfig({
    cluster: request.cluster,
    server: request.server,
    token,
    ...(request.caData === undefined ? {} : { caData: request.caData }),
  });
  return { kubeconfig, source: "service-account-token", ...(expires === undefined ? {} : { expires }) };
}

/** The stored token's credentials when the same server, CA and ServiceAccount, and not near expiry. */
function reusable(request: CredentialsRequest, secret: KubernetesObject | undefined): MemberCredentials | undefined {
  if (secret === undefined) {
    return undefined;
  }
  let stored: KubeConfig;
  try {
    stored = kubeConfigFromSecret(secret as V1Secret, secretRef(request.cluster), request.cluster);
  } catch {
    return undefined;
  }
  const sameServer = serverOf(stored) === request.server && stored.getCurrentCluster()?.caData === request.caData;
  const token = stored.getCurrentUser()?.token;
  const verdict = reuseVerdict(token, request.now());
  if (!sameServer || !verdict.reuse || token === undefined) {
    return undefined;
  }
  return tokenCredentials(request, token, verdict.expires);
}

async function verify(request: CredentialsRequest, credentials: MemberCredentials, settleMs: number): Promise<{ access: AccessReport; warnings: string[] }> {
  const secret = memberSecretManifest(request.cluster, request.server, credentials);
  let stored: KubeConfig;
  try {
    stored = kubeConfigFromSecret(secret as V1Secret, secretRef(request.cluster), request.cluster);
  } catch (err) {
    const why = err instanceof InvalidKubeconfigError ? err.message : String(err);
    throw new RegistrationError("usage", `the credentials cannot be stored: ${why}`);
  }
  const access = await reviewAccess(stored, { settleMs });
  if (access.missing.length > 0) {
    const hint = request.useGivenCredentials
      ? "grant them (see deploy/member-rbac.yaml) or register without --use-given-credentials"
      : "the ServiceAccount's RBAC did not take effect; check for an admission policy or run register again";
    throw new RegistrationError("permissions", `${missingPermissionMessage(access.missing)} — ${hint}`);
  }
  if (access.excess.length > 0 && request.strict) {
    throw new RegistrationError("permissions", `${excessPermissionMessage(access.excess)} — --strict refuses credentials that can do more than Meridian needs`);
  }
  const warnings = access.excess.length === 0 ? [] : [excessPermissionMessage(access.excess)];
  return { access, warnings };
}

export function secretRef(cluster: ClusterName): { namespace: string; name: string; key: string } {
  return { namespace: MERIDIAN_NAMESPACE, name: memberSecretName(cluster), key: KUBECONFIG_KEY };
}
