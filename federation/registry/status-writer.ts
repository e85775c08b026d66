// Writes MeshCluster statuses to the home cluster: server-side apply on the status subresource, only
// when the status differs from the last one applied, one write in flight per cluster (the latest
// status wins), retried with backoff when the home cluster fails. A vanished MeshCluster is dropped.
// While `writes()` says no (a controller replica that does not lead), statuses are only recorded,
// with what the object says now as applied; resume() writes what then differs.

import type { CustomObjectsApi } from "@kubernetes/client-node";
import type { Logger } from "pino";

import type { MeshClusterStatus } from "../../crds/index.js";
import { nextDelay } from "../backoff.js";
import type { BackoffOptions } from "../backoff.js";
import { sameValue } from "../graph/change-keys.js";
import { httpStatusOf } from "../kube/api-errors.js";
import { apiFailure } from "../watch/api-failure.js";
import { applyStatus } from "../kube/apply-status.js";

interface Entry {
  desired: MeshClusterStatus;
  applied: MeshClusterStatus | undefined;
  writing: boolean;
  attempt: number;
  retry: NodeJS.Timeout | undefined;
}

export interface StatusWriterDeps {
  readonly api: CustomObjectsApi;
  readonly fieldManager: string;
  readonly backoff: BackoffOptions;
  readonly random: () => number;
  readonly log: Logger;
  /** The home cluster's API server, for messages. */
  readonly server: string;
  /** Whether to write now (default: always). */
  readonly writes?: () => boolean;
}

/** Where the registry puts MeshCluster statuses: the StatusWriter, or nowhere when it only observes. */
export interface StatusSink {
  /** `applied`: what the object's status already is, when known (nothing is written if equal). */
  write(name: string, desired: MeshClusterStatus, applied?: MeshClusterStatus): void;
  forget(name: string): void;
  stop(): void;
  /** Writing is allowed again: write what differs. */
  resume?(): void;
}

/** An observation-only registry's sink: statuses are computed, never written. */
export const DISCARDED_STATUSES: StatusSink = Object.freeze({ write: () => undefined, forget: () => undefined, stop: () => undefined });

export class StatusWriter implements StatusSink {
  private readonly deps: StatusWriterDeps;
  private readonly entries = new Map<string, Entry>();

  constructor(deps: StatusWriterDeps) {
    this.deps = deps;
  }

  /** `applied`: what the object's status already is, when known (nothing is written if equal). */
  write(name: string, desired: MeshClusterStatus, applied?: MeshClusterStatus): void {
    const entry = this.entries.get(name) ?? { desired, applied, writing: false, attempt: 0, retry: undefined };
    this.entries.set(name, entry);
    entry.desired = desired;
    if (!this.writing() && applied !== undefined) entry.applied = applied;
    this.flushIfDifferent(name, entry);
  }

  resume(): void {
    for (const [name, entry] of this.entries) this.flushIfDifferent(name, entry);
  }

  private writing(): boolean {
    return this.deps.writes?.() !== false;
  }

  /** Starts a write when this replica writes now, none is in flight or waiting to retry, and the status differs. */
  private flushIfDifferent(name: string, entry: Entry): void {
    if (this.writing() && !entry.writing && entry.retry === undefined && !sameValue(entry.desired, entry.applied)) {
      void this.flush(name, entry);
    }
  }

  forget(name: string): void {
    clearTimeout(this.entries.get(name)?.retry);
    this.entries.delete(name);
  }

  stop(): void {
    for (const name of [...this.entries.keys()]) {
      this.forget(name);
    }
  }

  private async flush(name: string, entry: Entry): Promise<void> {
    const status = entry.desired;
    entry.writing = true;
    try {
      await applyStatus(this.deps.api, { kind: "MeshCluster", name }, status, this.deps.fieldManager);
      entry.applied = status;
      entry.attempt = 0;
    } catch (err) {
      this.failed(name, entry, err);
    } finally {
      entry.writing = false;
    }
    if (this.entries.get(name) === entry) this.flushIfDifferent(name, entry);
  }

  private failed(name: string, entry: Entry, err: unknown): void {
    if (httpStatusOf(err) === 404) {
      this.entries.delete(name);
      return;
    }
    const delayMs = nextDelay(entry.attempt, this.deps.backoff, this.deps.random);
    entry.attempt += 1;
    const failure = apiFailure(err, { server: this.deps.server, action: `write the status of MeshCluster ${name}` });
    this.deps.log.warn({ cluster: name, err: failure.message, retryInMs: delayMs }, "Failed to write MeshCluster status");
    entry.retry = setTimeout(() => {
      entry.retry = undefined;
      if (this.entries.get(name) === entry) this.flushIfDifferent(name, entry);
    }, delayMs);
  }
}
