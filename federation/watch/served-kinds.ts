// Whether a member's API server serves a kind (e.g. Argo Rollouts, when its CRD is installed):
// client-node's object API already discovers kinds; this exposes that as a yes or no.

import { KubernetesObjectApi } from "@kubernetes/client-node";
import type { KubeConfig } from "@kubernetes/client-node";

import { makeClient } from "../kube/clients.js";
import { httpStatusOf } from "../kube/api-errors.js";

class Discovery extends KubernetesObjectApi {
  async serves(apiVersion: string, kind: string): Promise<boolean> {
    try {
      return (await this.resource(apiVersion, kind)) !== undefined;
    } catch (err) {
      if (httpStatusOf(err) === 404) {
        return false;
      }
      throw err;
    }
  }
}

/** True when the server serves `kind` in `apiVersion`; throws when the server cannot be asked. */
export function servesKind(kubeConfig: KubeConfig, apiVersion: string, kind: string, timeoutMs: number): Promise<boolean> {
  return makeClient(kubeConfig, Discovery, timeoutMs).serves(apiVersion, kind);
}
