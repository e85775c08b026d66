// Asks a member's API server two things with the member credentials: its version (is it reachable,
// does TLS verify) and who the credentials authenticate as (SelfSubjectReview: are they valid).

import { AuthenticationV1Api, VersionApi } from "@kubernetes/client-node";
import type { KubeConfig } from "@kubernetes/client-node";

import { makeClient, serverOf } from "../registration/clients.js";
import { apiFailure } from "../watch/api-failure.js";
import type { ApiFailure } from "../watch/api-failure.js";
import type { ProbeResult } from "./observations.js";

export async function probeCluster(kubeConfig: KubeConfig, timeoutMs: number): Promise<ProbeResult> {
  const server = serverOf(kubeConfig);
  let serverVersion: string | undefined;
  try {
    serverVersion = (await makeClient(kubeConfig, VersionApi, timeoutMs).getCode()).gitVersion;
  } catch (err) {
    const failure = apiFailure(err, { server, action: "read /version" });
    if (!answered(failure)) {
      return { reachable: false, failure };
    }
  }
  const version = serverVersion === undefined ? {} : { serverVersion };
  try {
    const api = makeClient(kubeConfig, AuthenticationV1Api, timeoutMs);
    const review = await api.createSelfSubjectReview({ body: { apiVersion: "authentication.k8s.io/v1", kind: "SelfSubjectReview" } });
    const user = review.status?.userInfo?.username;
    return { reachable: true, ...version, ...(user === undefined ? {} : { user }) };
  } catch (err) {
    const failure = apiFailure(err, { server, action: "review its own identity (SelfSubjectReview)" });
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
