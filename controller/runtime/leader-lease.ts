// Leader election with a coordination.k8s.io Lease in the home cluster, for the duties one replica
// does for all (resync scheduling, status): acquire when free or expired, renew every third of the
// lease's duration, step down when a renewal cannot be made in time, release on stop so another
// replica takes over at once. Every write is a compare-and-swap on resourceVersion. The leader
// renews from the Lease it last wrote (one request per renewal); a replica that does not lead reads
// the Lease to see whether it expired. A renewal refused with 409 (someone else wrote it) reads it.
import { CoordinationV1Api, V1MicroTime } from "@kubernetes/client-node";
import type { KubeConfig, V1Lease } from "@kubernetes/client-node";
import type { Logger } from "pino";

import { makeClient } from "../../federation/kube/clients.js";
import { apiStatusOf } from "../reconcile/istio-kinds.js";

export interface LeaderLeaseOptions {
  readonly kubeConfig: KubeConfig;
  readonly namespace: string;
  readonly name: string;
  /** This replica, e.g. `hostname-pid`. */
  readonly holder: string;
  readonly durationMs: number;
  readonly log: Logger;
  /** Called when this replica becomes or stops being the leader. */
  readonly changed?: (leader: boolean) => void;
  readonly now?: () => Date;
}

export class LeaderLease {
  private readonly api: CoordinationV1Api;
  private readonly now: () => Date;
  private leader = false;
  /** When this replica last renewed successfully (ms); it leads until this plus the duration. */
  private renewedAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** The Lease as this replica last wrote it, while it leads: renewed without reading it first. */
  private written: V1Lease | undefined;

  constructor(private readonly options: LeaderLeaseOptions) {
    this.api = makeClient(options.kubeConfig, CoordinationV1Api, Math.max(1_000, Math.floor(options.durationMs / 3)));
    this.now = options.now ?? (() => new Date());
  }

  /** True while this replica holds a lease it renewed within its duration. */
  isLeader(): boolean {
    return this.leader && this.now().getTime() - this.renewedAt < this.options.durationMs;
  }

  start(): void {
    void this.tick();
  }

  /** Stops renewing and, when leading, releases the lease so another replica need not wait it out. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (!this.leader) return;
    this.setLeader(false);
    await this.release().catch((err: unknown) => this.options.log.warn({ err }, "Could not release the leader Lease; another replica takes over when it expires"));
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    try {
      await this.tryAcquireOrRenew();
    } catch (err) {
      this.options.log.warn({ err, lease: this.options.name }, "Leader Lease request failed");
    }
    if (this.leader && !this.isLeader()) this.setLeader(false);
    if (!this.stopped) this.timer = setTimeout(() => void this.tick(), Math.floor(this.options.durationMs / 3));
  }

  private async tryAcquireOrRenew(): Promise<void> {
    const renewing = this.leader ? this.written : undefined;
    this.written = undefined;
    try {
      await this.acquireOrRenew(renewing ?? (await this.read()));
    } catch (err) {
      if (renewing === undefined || apiStatusOf(err) !== 409) throw err;
      await this.acquireOrRenew(await this.read());
    }
  }

  private async acquireOrRenew(current: V1Lease | undefined): Promise<void> {
    const { namespace, name } = this.options;
    const now = this.now();
    if (current === undefined) {
      this.written = await this.api.createNamespacedLease({ namespace, body: this.leaseBody(undefined, now, 0) });
      return this.acquired(now);
    }
    const spec = current.spec ?? {};
    const mine = spec.holderIdentity === this.options.holder;
    if (!mine && !expired(current, now)) {
      if (this.leader) this.setLeader(false);
      return;
    }
    const transitions = (spec.leaseTransitions ?? 0) + (mine ? 0 : 1);
    this.written = await this.api.replaceNamespacedLease({ namespace, name, body: this.leaseBody(current, now, transitions) });
    this.acquired(now);
  }

  private acquired(now: Date): void {
    this.renewedAt = now.getTime();
    if (!this.leader) this.setLeader(true);
  }

  private leaseBody(current: V1Lease | undefined, now: Date, transitions: number): V1Lease {
    const mine = current?.spec?.holderIdentity === this.options.holder;
    const acquireTime = mine && current?.spec?.acquireTime !== undefined ? current.spec.acquireTime : new V1MicroTime(now.getTime());
    return {
      apiVersion: "coordination.k8s.io/v1",
      kind: "Lease",
      metadata: { name: this.options.name, namespace: this.options.namespace, ...(current?.metadata?.resourceVersion === undefined ? {} : { resourceVersion: current.metadata.resourceVersion }) },
      spec: {
        holderIdentity: this.options.holder,
        leaseDurationSeconds: Math.max(1, Math.ceil(this.options.durationMs / 1000)),
        acquireTime,
        renewTime: new V1MicroTime(now.getTime()),
        leaseTransitions: transitions,
      },
    };
  }

  private async read(): Promise<V1Lease | undefined> {
    try {
      return await this.api.readNamespacedLease({ namespace: this.options.namespace, name: this.options.name });
    } catch (err) {
      if (apiStatusOf(err) === 404) return undefined;
      throw err;
    }
  }

  private async release(): Promise<void> {
    const current = await this.read();
    if (current?.spec?.holderIdentity !== this.options.holder) return;
    const body: V1Lease = { ...current, spec: { ...current.spec, holderIdentity: undefined, leaseDurationSeconds: 1, renewTime: new V1MicroTime(this.now().getTime()) } };
    await this.api.replaceNamespacedLease({ namespace: this.options.namespace, name: this.options.name, body });
  }

  private setLeader(leader: boolean): void {
    this.leader = leader;
    if (!leader) this.written = undefined;
    this.options.log.info({ lease: `${this.options.namespace}/${this.options.name}`, holder: this.options.holder }, leader ? "Became the leader" : "No longer the leader");
    this.options.changed?.(leader);
  }
}

/** A lease nobody holds, or whose holder has not renewed within its duration. */
function expired(lease: V1Lease, now: Date): boolean {
  const spec = lease.spec;
  if (spec?.holderIdentity === undefined || spec.holderIdentity === "") return true;
  const renewed = spec.renewTime === undefined ? 0 : new Date(spec.renewTime).getTime();
  return now.getTime() - renewed >= (spec.leaseDurationSeconds ?? 0) * 1000;
}
