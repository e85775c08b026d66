// Asks a member's API server two things with the member credentials: its version (is it reachable,
// does TLS verify) and who the credentials authenticate as (SelfSubjectReview: are they valid). An
// observation-only probe skips the review (a create request): /version alone then says whether the
// server answers and whether it refused the credentials (401).

import { AuthenticationV1Api, VersionApi } from "@kubernetes/client-node";
import type { KubeConfig } from "@kubernetes/client-node";

import { makeClient, serverOf } from "../kube/clients.js";
import { apiFailure } from "../watch/api-failure.js";
import type { ApiFailure } from "../watch/api-failure.js";
import type { ProbeResult } from "./observations.js";

export interface ProbeOptions {
  readonly timeoutMs: number;
  /** Send a SelfSubjectReview to learn whether the credentials are accepted and whose they are. */
  readonly reviewIdentity: boolean;
}

type VersionAnswer = { readonly serverVersion?: string; readonly failure?: ApiFailure };

export async function probeCluster(kubeConfig: KubeConfig, { timeoutMs, reviewIdentity }: ProbeOptions): Promise<ProbeResult> {
  const answer = await readVersion(kubeConfig, timeoutMs);
  if (answer.failure !== undefined && !answered(answer.failure)) {
    return { reachable: false, failure: answer.failure };
  }
  const version = answer.serverVersion === undefined ? {} : { serverVersion: answer.serverVersion };
  if (!reviewIdentity) {
    return answer.failure?.kind === "Unauthorized" ? { reachable: true, authFailure: answer.failure } : { reachable: true, ...version };
  }
  return reviewOwnIdentity(kubeConfig, timeoutMs, version);
}

async function readVersion(kubeConfig: KubeConfig, timeoutMs: number): Promise<VersionAnswer> {
  try {
    const serverVersion = (await makeClient(kubeConfig, VersionApi, timeoutMs).getCode()).gitVersion;
    return { serverVersion };
  } catch (err) {
    return { failure: apiFailure(err, { server: serverOf(kubeConfig), action: "read /version" }) };
  }
}

async function reviewOwnIdentity(kubeConfig: KubeConfig, timeoutMs: number, version: { serverVersion?: string }): Promise<ProbeResult> {
  try {
    const api = makeClient(kubeConfig, AuthenticationV1Api, timeoutMs);
    const review = await api.createSelfSubjectReview({ body: { apiVersion: "authentication.k8s.io/v1", kind: "SelfSubjectReview" } });
    const user = review.status?.userInfo?.username;
    return { reachable: true, ...version, ...(user === undefined ? {} : { user }) };
  } catch (err) {
    const failure = apiFailure(err, { server: serverOf(kubeConfig), action: "review its own identity (SelfSubjectReview)" });
    if (!answered(failure)) {
      return { reachable: false, failure };
    }
    // Anything but 401 means authentication passed (a 403 here only hides the user name).
    return failure.kind === "Unauthorized" ? { reachable: true, ...version, authFailure: failure } : { reachable: true, ...version };
  }
}

/** The server answered with an HTTP status (as opposed to a network or TLS failure). */
function answered(failure: ApiFailure): boolean {
  return failure.kind !== "Unreachable" && failure.kind !== "TLS" && failure.kind !== "Other";
}
