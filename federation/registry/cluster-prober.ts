// Keeps what the registry knows about one member's API server fresh: every probe interval (and at
// once when asked) it probes with the credentials in use; when they work it reviews permissions and
// rollout support again, for new credentials at once and otherwise every access interval. Without
// reviews (an observation-only registry) it sends no create request: /version answers whether the
// server is reachable, and discovery whether Rollouts are served.

import type { KubeConfig } from "@kubernetes/client-node";
import type { Logger } from "pino";

import { describeChecks } from "../registration/access-requirements.js";
import { Coalescer } from "../watch/coalescer.js";
import { checkAccess, checkRollouts } from "./access-check.js";
import type { AccessResult, ProbeResult } from "./observations.js";
import { probeCluster } from "./probe.js";
import type { RegistryTiming } from "./registry-options.js";

/** Permissions are reviewed again after a watch got 403, but not more often than this. */
const FORBIDDEN_RECHECK_MS = 15_000;

export interface ProberDeps {
  readonly timing: RegistryTiming;
  readonly log: Logger;
  /** Review identity and permissions (SelfSubjectReview, SelfSubjectAccessReviews: create requests). */
  readonly reviews: boolean;
  /** New results; `recovered` when the server works again after failing. */
  readonly changed: (recovered: boolean) => void;
}

interface Target {
  readonly fingerprint: string;
  readonly kubeConfig: KubeConfig;
}

export class ClusterProber {
  probe: ProbeResult | undefined;
  access: AccessResult | undefined;
  serverVersion: string | undefined;
  private readonly deps: ProberDeps;
  private readonly runner: Coalescer;
  private target: Target | undefined;
  private accessFor: string | undefined;
  private accessAt = 0;
  private rollouts: { fingerprint: string; served: boolean } | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(deps: ProberDeps) {
    this.deps = deps;
    this.runner = new Coalescer(() => this.run(), 0, (err) => deps.log.error({ err }, "Failed to probe cluster"));
  }

  start(signal: AbortSignal): void {
    this.timer = setInterval(() => this.runner.schedule(), this.deps.timing.probeIntervalMs);
    this.timer.unref();
    signal.addEventListener("abort", () => this.stop(), { once: true });
    this.runner.schedule();
  }

  /** The credentials to probe with (the newest usable ones). */
  setTarget(fingerprint: string, kubeConfig: KubeConfig): void {
    if (this.target?.fingerprint !== fingerprint) {
      this.target = { fingerprint, kubeConfig };
      this.runner.schedule();
    }
  }

  probeNow(): void {
    this.runner.schedule();
  }

  /** A watch was refused (403): review permissions again soon. */
  recheckAccess(): void {
    const now = this.deps.timing.watch.now();
    if (now - this.accessAt >= FORBIDDEN_RECHECK_MS) {
      this.accessAt = 0;
      this.runner.schedule();
    }
  }

  /** Whether Rollouts are served, as last seen with these credentials; undefined until known. */
  rolloutsFor(fingerprint: string): boolean | undefined {
    return this.rollouts?.fingerprint === fingerprint ? this.rollouts.served : undefined;
  }

  private stop(): void {
    clearInterval(this.timer);
    this.runner.stop();
  }

  private async run(): Promise<void> {
    const target = this.target;
    if (target === undefined) {
      return;
    }
    const { timing } = this.deps;
    const probe = await probeCluster(target.kubeConfig, { timeoutMs: timing.requestTimeoutMs, reviewIdentity: this.deps.reviews });
    if (target !== this.target) {
      return;
    }
    const recovered = this.probe !== undefined && !healthy(this.probe) && healthy(probe);
    this.probe = probe;
    this.serverVersion = (probe.reachable ? probe.serverVersion : undefined) ?? this.serverVersion;
    const now = timing.watch.now();
    if (healthy(probe) && (this.accessFor !== target.fingerprint || now - this.accessAt >= timing.accessIntervalMs)) {
      await this.review(target, now);
    }
    this.deps.changed(recovered);
  }

  private logReview(access: AccessResult): void {
    const { level, fields, msg } = describeReview(access);
    this.deps.log[level](fields, msg);
  }

  private async review(target: Target, now: number): Promise<void> {
    const { reviews, timing } = this.deps;
    const access = reviews ? await checkAccess(target.kubeConfig, timing.requestTimeoutMs) : await checkRollouts(target.kubeConfig, timing.requestTimeoutMs);
    if (target !== this.target) {
      return;
    }
    if (reviews) this.logReview(access);
    this.access = access;
    // A failed review is tried again at the next probe; a successful one after the access interval.
    if (access.ok) {
      this.accessFor = target.fingerprint;
      this.accessAt = now;
      this.rollouts = { fingerprint: target.fingerprint, served: access.rollouts };
    }
  }
}

function describeReview(access: AccessResult): { level: "info" | "warn"; fields: Record<string, unknown>; msg: string } {
  if (!access.ok) {
    return { level: "warn", fields: { err: access.failure.message }, msg: "Failed to review permissions" };
  }
  const fields = { checked: access.checked, rollouts: access.rollouts, missing: describeChecks(access.missing), excess: describeChecks(access.excess) };
  return access.missing.length > 0 ? { level: "warn", fields, msg: "Found missing permissions" } : { level: "info", fields, msg: "Verified permissions" };
}

function healthy(probe: ProbeResult): boolean {
  return probe.reachable && probe.authFailure === undefined;
}
