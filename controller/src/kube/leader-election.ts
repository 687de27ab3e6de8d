/**
 * Leader election with a coordination.k8s.io Lease (client-go's protocol), so of several replicas
 * exactly one acts. A replica takes the Lease when it is free, released, or expired — expiry is
 * judged by when *this* replica last saw the Lease change plus its duration (never by comparing
 * clocks across machines). The leader renews every `retryPeriod`; if it cannot renew within
 * `renewDeadline` (shorter than the duration) it stops acting before anyone may take over, so two
 * replicas never both act. On shutdown it releases the Lease so a successor need not wait.
 */
import type { V1Lease } from "@kubernetes/client-node";
import type { Logger } from "../log.js";
import type { Clock, Scheduler, Timer } from "./clock.js";
import type { KubeApi } from "./kube-api.js";
import { hasCode, isConflict, isNotFound } from "./kube-errors.js";

export interface LeaderElectionOptions {
  namespace: string;
  name: string;
  /** This replica's identity, written as `holderIdentity`. */
  identity: string;
  leaseDurationSeconds?: number;
  renewDeadlineSeconds?: number;
  retryPeriodSeconds?: number;
}

/** MicroTime fields come back from client-node 1.4 as strings although typed as Date. */
function timeOf(v: unknown): Date | undefined {
  if (v instanceof Date) return v;
  if (typeof v === "string" && v !== "") return new Date(v);
  return undefined;
}

export class LeaderElector {
  private leading = false;
  private lastRenew = 0;
  private observedVersion: string | undefined;
  private observedTime = 0;
  private timer: Timer | undefined;
  private stopped = true;
  private round: Promise<void> = Promise.resolve();
  private readonly duration: number;
  private readonly deadline: number;
  private readonly retry: number;

  constructor(
    private readonly api: KubeApi,
    private readonly opts: LeaderElectionOptions,
    private readonly time: Clock & Scheduler,
    private readonly log: Logger,
    private readonly onChange: (leading: boolean) => void,
  ) {
    this.duration = (opts.leaseDurationSeconds ?? 15) * 1000;
    this.deadline = (opts.renewDeadlineSeconds ?? 10) * 1000;
    this.retry = (opts.retryPeriodSeconds ?? 2) * 1000;
    if (this.deadline >= this.duration)
      throw new RangeError("renewDeadlineSeconds must be shorter than leaseDurationSeconds");
  }

  get identity(): string {
    return this.opts.identity;
  }

  /** True while this replica holds a Lease it renewed within the renew deadline. */
  isLeader(): boolean {
    return this.leading && this.time.now().getTime() < this.lastRenew + this.deadline;
  }

  /** Tries at once, then every retry period. */
  async start(): Promise<void> {
    this.stopped = false;
    this.round = this.tick();
    await this.round;
  }

  /** Resolves when the round in progress (if any) has finished. */
  settled(): Promise<void> {
    return this.round;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer?.cancel();
    this.timer = this.time.after(this.retry, () => {
      this.round = this.tick();
    });
  }

  /** One round: acquire or renew; reports a change of leadership. */
  async tick(): Promise<void> {
    let ok = false;
    try {
      ok = await this.tryAcquireOrRenew();
    } catch (e) {
      this.log.warn("lease round failed", { lease: this.opts.name, error: String(e) });
    }
    if (ok) this.setLeading(true);
    else if (this.leading && !this.isLeader()) this.setLeading(false);
    this.schedule();
  }

  private setLeading(leading: boolean): void {
    if (leading === this.leading) return;
    this.leading = leading;
    this.log.info(leading ? "became leader" : "lost leadership", {
      lease: `${this.opts.namespace}/${this.opts.name}`,
      identity: this.opts.identity,
    });
    this.onChange(leading);
  }

  private spec(now: Date, prev: V1Lease["spec"], holding: boolean): V1Lease["spec"] {
    const acquire = holding ? (timeOf(prev?.acquireTime) ?? now) : now;
    return {
      holderIdentity: this.opts.identity,
      leaseDurationSeconds: Math.ceil(this.duration / 1000),
      acquireTime: acquire,
      renewTime: now,
      leaseTransitions: (prev?.leaseTransitions ?? 0) + (holding ? 0 : 1),
    };
  }

  private async tryAcquireOrRenew(): Promise<boolean> {
    const { namespace, name } = this.opts;
    const now = this.time.now();
    let lease: V1Lease;
    try {
      lease = await this.api.coordination.readNamespacedLease({ namespace, name });
    } catch (e) {
      if (!isNotFound(e)) throw e;
      try {
        const created = await this.api.coordination.createNamespacedLease({
          namespace,
          body: {
            metadata: { name, namespace },
            spec: { ...this.spec(now, undefined, false), leaseTransitions: 0 },
          },
        });
        this.renewed(created, now);
        return true;
      } catch (err) {
        if (hasCode(err, 409)) return false;
        throw err;
      }
    }
    const version = lease.metadata?.resourceVersion;
    if (version !== this.observedVersion) {
      this.observedVersion = version;
      this.observedTime = now.getTime();
    }
    const holder = lease.spec?.holderIdentity ?? "";
    const holding = holder === this.opts.identity;
    const duration = (lease.spec?.leaseDurationSeconds ?? 0) * 1000;
    if (!holding && holder !== "" && now.getTime() < this.observedTime + duration) return false;
    try {
      const updated = await this.api.coordination.replaceNamespacedLease({
        namespace,
        name,
        body: {
          metadata: { name, namespace, resourceVersion: lease.metadata?.resourceVersion },
          spec: this.spec(now, lease.spec, holding),
        },
      });
      this.renewed(updated, now);
      return true;
    } catch (e) {
      if (isConflict(e)) return false;
      throw e;
    }
  }

  private renewed(lease: V1Lease, now: Date): void {
    this.observedVersion = lease.metadata?.resourceVersion;
    this.observedTime = now.getTime();
    this.lastRenew = now.getTime();
  }

  /** Stops renewing; releases the Lease if this replica holds it, so another can take it at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.cancel();
    if (!this.leading) return;
    this.setLeading(false);
    const { namespace, name } = this.opts;
    try {
      const lease = await this.api.coordination.readNamespacedLease({ namespace, name });
      if (lease.spec?.holderIdentity !== this.opts.identity) return;
      const now = this.time.now();
      await this.api.coordination.replaceNamespacedLease({
        namespace,
        name,
        body: {
          metadata: { name, namespace, resourceVersion: lease.metadata?.resourceVersion },
          spec: {
            ...lease.spec,
            acquireTime: timeOf(lease.spec?.acquireTime) ?? now,
            holderIdentity: "",
            leaseDurationSeconds: 1,
            renewTime: now,
          },
        },
      });
      this.log.info("released the lease", { lease: `${namespace}/${name}` });
    } catch (e) {
      this.log.warn("could not release the lease", {
        lease: `${namespace}/${name}`,
        error: String(e),
      });
    }
  }
}
