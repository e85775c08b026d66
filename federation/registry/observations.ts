// What the registry has observed about one member cluster: the input of its status. Plain data.

import type { AccessCheck } from "../registration/access-requirements.js";
import type { ApiFailure } from "../watch/api-failure.js";

export type CredentialsObservation =
  | { readonly state: "valid" }
  | { readonly state: "invalid"; readonly reason: string; readonly message: string };

export type ProbeResult =
  | {
      readonly reachable: true;
      readonly serverVersion?: string;
      /** The authenticated user (SelfSubjectReview), absent when authentication failed. */
      readonly user?: string;
      readonly authFailure?: ApiFailure;
    }
  | { readonly reachable: false; readonly failure: ApiFailure };

export type AccessResult =
  | {
      readonly ok: true;
      /** Whether Argo Rollouts are served (then rollouts are watched and their permissions checked). */
      readonly rollouts: boolean;
      readonly checked: number;
      readonly missing: readonly AccessCheck[];
      readonly excess: readonly AccessCheck[];
    }
  | { readonly ok: false; readonly failure: ApiFailure };

export type WatchObservation =
  | { readonly phase: "NotStarted" }
  | { readonly phase: "Syncing"; readonly pending: readonly string[] }
  | { readonly phase: "Failing"; readonly failures: readonly string[] }
  | { readonly phase: "Synced"; readonly watches: number; readonly namespaces: number };

export interface ClusterObservations {
  readonly cluster: string;
  readonly generation?: number;
  /** `meridian-system/meridian-member-east-1, key "kubeconfig"` */
  readonly secret: string;
  /** The API server of the credentials in use, when there are any. */
  readonly server?: string;
  readonly credentials: CredentialsObservation;
  /** Watches still run on earlier credentials (the Secret's current content is bad or not yet synced). */
  readonly previousCredentialsServing: boolean;
  readonly probe?: ProbeResult;
  readonly access?: AccessResult;
  readonly watches: WatchObservation;
  readonly serverVersion?: string;
  readonly workloadCount?: number;
  /** RFC 3339: when the watches last completed a full sync (first sync, restart or credential swap). */
  readonly lastSyncTime?: string;
  readonly probeIntervalMs: number;
}
