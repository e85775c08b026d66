// Reviews what a member's credentials may do (registration's SelfSubjectAccessReviews: exactly the
// RBAC Meridian grants, and a sample of what it must not hold) and whether Argo Rollouts are served.

import type { KubeConfig } from "@kubernetes/client-node";

import { reviewAccess } from "../registration/access-review.js";
import { serverOf } from "../kube/clients.js";
import { apiFailure } from "../watch/api-failure.js";
import { ROLLOUT_API_VERSION } from "../watch/informer-specs.js";
import { servesKind } from "../watch/served-kinds.js";
import type { AccessResult } from "./observations.js";

export async function checkAccess(kubeConfig: KubeConfig, timeoutMs: number): Promise<AccessResult> {
  try {
    const rollouts = await servesKind(kubeConfig, ROLLOUT_API_VERSION, "Rollout", timeoutMs);
    const report = await reviewAccess(kubeConfig, { settleMs: 0 });
    return { ok: true, rollouts, checked: report.checked, missing: report.missing, excess: report.excess };
  } catch (err) {
    return failed(kubeConfig, err, "review permissions (SelfSubjectAccessReview)");
  }
}

/** Only whether Argo Rollouts are served (discovery, read-only): permissions are not reviewed. */
export async function checkRollouts(kubeConfig: KubeConfig, timeoutMs: number): Promise<AccessResult> {
  try {
    const rollouts = await servesKind(kubeConfig, ROLLOUT_API_VERSION, "Rollout", timeoutMs);
    return { ok: true, rollouts, checked: 0, missing: [], excess: [] };
  } catch (err) {
    return failed(kubeConfig, err, "discover whether Argo Rollouts are served");
  }
}

function failed(kubeConfig: KubeConfig, err: unknown, action: string): AccessResult {
  // Registration wraps client errors; classify the original one.
  const cause = err instanceof Error && err.cause !== undefined ? err.cause : err;
  return { ok: false, failure: apiFailure(cause, { server: serverOf(kubeConfig), action }) };
}
