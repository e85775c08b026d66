// Asks the member's API server, with the credentials that will be stored, whether each required
// permission is granted and each forbidden one is not (SelfSubjectAccessReview). Newly created
// bindings reach the RBAC authorizer through a watch, so missing permissions are asked again until
// `settleMs` has passed.

import { AuthorizationV1Api, KubernetesObjectApi } from "@kubernetes/client-node";
import type { KubeConfig } from "@kubernetes/client-node";
import { setTimeout as sleep } from "node:timers/promises";

import { applicableRequired, evaluateAccess, forbiddenAccess } from "./access-requirements.js";
import type { AccessCheck, AccessEvaluation, AccessVerdict } from "./access-requirements.js";
import { makeClient, serverOf } from "../kube/clients.js";
import { classifyError, httpStatusOf } from "./errors.js";

export interface AccessReport extends AccessEvaluation {
  /** How many reviews were asked (required + forbidden). */
  checked: number;
  /** Optional requirements not checked because the server does not serve the kind. */
  skipped: AccessCheck[];
}

export interface ReviewOptions {
  /** Keep asking about missing permissions for this long (0: ask once). */
  settleMs: number;
  pollMs?: number;
}

export async function reviewAccess(kubeConfig: KubeConfig, options: ReviewOptions): Promise<AccessReport> {
  const server = serverOf(kubeConfig);
  try {
    const served = await servedKinds(kubeConfig);
    const required = applicableRequired((apiVersion, kind) => served.has(kindKey({ apiVersion, kind })));
    const skipped = applicableRequired(() => true).filter((check) => check.optional !== undefined && !served.has(kindKey(check.optional)));
    const api = makeClient(kubeConfig, AuthorizationV1Api);
    const deadline = Date.now() + options.settleMs;
    let evaluation = await evaluate(api, required);
    while (evaluation.missing.length > 0 && Date.now() < deadline) {
      await sleep(options.pollMs ?? 250);
      evaluation = await evaluate(api, required);
    }
    return { ...evaluation, checked: required.length + forbiddenAccess().length, skipped };
  } catch (err) {
    throw classifyError(err, { server, action: "review the stored credentials' permissions (SelfSubjectAccessReview)" });
  }
}

async function evaluate(api: AuthorizationV1Api, required: readonly AccessCheck[]): Promise<AccessEvaluation> {
  const [requiredVerdicts, forbiddenVerdicts] = await Promise.all([verdicts(api, required), verdicts(api, forbiddenAccess())]);
  return evaluateAccess(requiredVerdicts, forbiddenVerdicts);
}

function verdicts(api: AuthorizationV1Api, checks: readonly AccessCheck[]): Promise<AccessVerdict[]> {
  return Promise.all(checks.map(async (check) => ({ check, allowed: await allowed(api, check) })));
}

async function allowed(api: AuthorizationV1Api, check: AccessCheck): Promise<boolean> {
  const review = await api.createSelfSubjectAccessReview({
    body: {
      spec: {
        resourceAttributes: {
          verb: check.verb,
          group: check.group,
          resource: check.resource,
          ...(check.subresource === undefined ? {} : { subresource: check.subresource }),
          ...(check.namespace === undefined ? {} : { namespace: check.namespace }),
        },
      },
    },
  });
  return review.status?.allowed === true;
}

/** `apiVersion/kind` of each optional kind the server serves (discovery is open to every user). */
async function servedKinds(kubeConfig: KubeConfig): Promise<Set<string>> {
  const discovery = makeClient(kubeConfig, Discovery);
  const kinds = new Map<string, { apiVersion: string; kind: string }>();
  for (const check of applicableRequired(() => true)) {
    if (check.optional !== undefined) kinds.set(kindKey(check.optional), check.optional);
  }
  const served = new Set<string>();
  for (const [key, { apiVersion, kind }] of kinds) {
    if (await discovery.serves(apiVersion, kind)) served.add(key);
  }
  return served;
}

function kindKey(kind: { apiVersion: string; kind: string }): string {
  return `${kind.apiVersion}/${kind.kind}`;
}

/** client-node's object API already discovers kinds; this exposes that as a yes/no. */
class Discovery extends KubernetesObjectApi {
  async serves(apiVersion: string, kind: string): Promise<boolean> {
    try {
      return (await this.resource(apiVersion, kind)) !== undefined;
    } catch (err) {
      if (httpStatusOf(err) === 404) return false;
      throw err;
    }
  }
}
