// One set of watches on a member: the credentials and the scope they were started with, and their
// own lifetime. The registry keeps the serving session until a new one (new credentials, new scope)
// has synced, then stops the old one.

import type { KubeConfig } from "@kubernetes/client-node";
import type { Logger } from "pino";

import type { ApiFailure } from "../watch/api-failure.js";
import { ClusterWatches } from "../watch/cluster-watches.js";
import type { WatchScope } from "../watch/cluster-watches.js";
import type { WatchTiming } from "../watch/watch-timing.js";
import type { SourceChange } from "../workload-derivation.js";

export interface SessionDeps {
  readonly timing: WatchTiming;
  readonly requestTimeoutMs: number;
  readonly log: Logger;
  readonly changed: (session: MemberSession, change: SourceChange) => void;
  readonly healthChanged: (session: MemberSession) => void;
}

export interface SessionFailure {
  readonly what: string;
  readonly failure: ApiFailure;
}

export class MemberSession {
  /** Credentials fingerprint and scope: a session is replaced when this differs. */
  readonly key: string;
  readonly watches: ClusterWatches;
  private readonly controller = new AbortController();

  constructor(key: string, kubeConfig: KubeConfig, scope: WatchScope, deps: SessionDeps) {
    this.key = key;
    this.watches = new ClusterWatches(scope, {
      kubeConfig,
      timing: deps.timing,
      requestTimeoutMs: deps.requestTimeoutMs,
      log: deps.log,
      changed: (change) => deps.changed(this, change),
      healthChanged: () => deps.healthChanged(this),
    });
  }

  start(parent: AbortSignal): void {
    this.watches.start(AbortSignal.any([parent, this.controller.signal]));
  }

  stop(): void {
    this.controller.abort();
  }

  synced(): boolean {
    return this.watches.synced();
  }

  failures(): SessionFailure[] {
    return this.watches.health().flatMap((h) => (h.state === "Failing" && h.failure !== undefined ? [{ what: h.what, failure: h.failure }] : []));
  }

  /** What has not synced yet, for the Synced condition. */
  pending(): string[] {
    return this.watches.health().flatMap((h) => (h.hasSynced ? [] : [h.what]));
  }
}
