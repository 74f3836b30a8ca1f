// The scheduling queue: activeQ ordered by the QueueSort plugin, backoffQ, and the set of
// unschedulable pods that wait for a cluster event. Upstream
// pkg/scheduler/backend/queue/{scheduling_queue.go,backoff_queue.go}; defaults from
// pkg/scheduler/apis/config/v1/defaults.go (podInitialBackoffSeconds 1, podMaxBackoffSeconds 10)
// and DefaultPodMaxInUnschedulablePodsDuration (5 min, flushed every 30 s).
import FastPriorityQueue from 'fastpriorityqueue';
import type { Simulation } from '../engine/simulation.js';
import { US_PER_S } from '../engine/time.js';
import type { PodInfo } from '../cluster/pod-info.js';
import type { QueuedPodInfo } from './framework/interfaces.js';

export interface QueueOptions {
  readonly initialBackoffUs: number;
  readonly maxBackoffUs: number;
  readonly maxInUnschedulableUs: number;
}

export const DEFAULT_QUEUE_OPTIONS: QueueOptions = {
  initialBackoffUs: 1 * US_PER_S,
  maxBackoffUs: 10 * US_PER_S,
  maxInUnschedulableUs: 5 * 60 * US_PER_S,
};

const BACKOFF_FLUSH_PERIOD_US = 1 * US_PER_S;
const UNSCHEDULABLE_FLUSH_PERIOD_US = 30 * US_PER_S;

export class SchedulingQueue {
  private readonly active: FastPriorityQueue<QueuedPodInfo>;
  /** Pods in backoff, by the flush tick (µs) at which they become active. */
  private readonly backoff = new Map<number, QueuedPodInfo[]>();
  private readonly unschedulable = new Map<string, QueuedPodInfo>();
  /** Every pod the queue holds, in any sub-queue or in flight, by pod key. */
  private readonly known = new Map<string, QueuedPodInfo>();
  private readonly inActive = new Set<string>();
  /** Pods in backoff because their attempt failed with an Error (upstream podErrorBackoffQ):
   * they are never popped before their backoff ends. */
  private readonly errorBackoff = new Set<string>();
  private schedulingCycle = 0;
  private moveRequestCycle = -1;
  private unschedulableFlushArmed = false;

  constructor(
    private readonly sim: Simulation,
    private readonly less: (a: QueuedPodInfo, b: QueuedPodInfo) => boolean,
    private readonly onActive: () => void,
    private readonly opts: QueueOptions = DEFAULT_QUEUE_OPTIONS,
    /** Called when a pod enters backoffQ (an idle scheduler may pop it early). */
    private readonly onBackoff: () => void = () => {},
  ) {
    this.active = new FastPriorityQueue<QueuedPodInfo>(less);
  }

  get activeCount(): number {
    return this.inActive.size;
  }

  get pendingCount(): number {
    return this.known.size;
  }

  /** A new pod to schedule. */
  add(pod: PodInfo): void {
    if (this.known.has(pod.key)) return;
    const now = this.sim.now;
    const qpi: QueuedPodInfo = { pod, timestampUs: now, initialTimestampUs: now, attempts: 0, unschedulablePlugins: new Set() };
    this.known.set(pod.key, qpi);
    this.pushActive(qpi);
  }

  /** Next pod to schedule: from activeQ, or, when activeQ is empty, the pod whose backoff ends
   * first (SchedulerPopFromBackoffQ, KEP-5142, on by default since v1.33). */
  pop(): QueuedPodInfo | undefined {
    while (!this.active.isEmpty()) {
      const qpi = this.active.poll() as QueuedPodInfo;
      // poll leaves the polled entries in the heap's array past its size: drop them when the
      // queue drains, so a bound and finished pod is not kept alive by a stale slot.
      if (this.active.isEmpty()) this.active.trim();
      if (!this.inActive.delete(qpi.pod.key)) continue; // deleted while queued
      return this.started(qpi);
    }
    const fromBackoff = this.popBackoff();
    return fromBackoff === undefined ? undefined : this.started(fromBackoff);
  }

  private started(qpi: QueuedPodInfo): QueuedPodInfo {
    qpi.attempts++;
    this.schedulingCycle++;
    return qpi;
  }

  /** Removes the first pod of the earliest backoff bucket (in QueueSort order within it). */
  private popBackoff(): QueuedPodInfo | undefined {
    const ticks = [...this.backoff.keys()].sort((a, b) => a - b);
    for (const tick of ticks) {
      const bucket = this.backoff.get(tick) as QueuedPodInfo[];
      let best = -1;
      for (let i = 0; i < bucket.length; i++) {
        const q = bucket[i] as QueuedPodInfo;
        if (!this.known.has(q.pod.key) || this.unschedulable.has(q.pod.key) || this.errorBackoff.has(q.pod.key)) continue;
        if (best < 0 || this.less(q, bucket[best] as QueuedPodInfo)) best = i;
      }
      if (best >= 0) return bucket.splice(best, 1)[0];
    }
    return undefined;
  }

  /** A pod whose attempt failed. Pods with an Error, or whose cycle overlapped a cluster event
   * that may have helped them, go to backoffQ; the rest wait in unschedulablePods. */
  addUnschedulable(qpi: QueuedPodInfo, error: boolean): void {
    if (!this.known.has(qpi.pod.key)) return;
    qpi.timestampUs = this.sim.now;
    if (error || this.moveRequestCycle >= this.schedulingCycle) {
      this.pushBackoff(qpi, error);
    } else {
      this.unschedulable.set(qpi.pod.key, qpi);
      this.armUnschedulableFlush();
    }
  }

  /** The pod was bound or deleted: forget it. */
  done(pod: PodInfo): void {
    this.known.delete(pod.key);
    this.unschedulable.delete(pod.key);
    this.inActive.delete(pod.key);
    this.errorBackoff.delete(pod.key);
  }

  /** A cluster event (node added or changed, pod deleted...) may make waiting pods schedulable:
   * move them all to activeQ, or to backoffQ while their backoff runs. */
  moveAllToActiveOrBackoff(): void {
    this.moveRequestCycle = this.schedulingCycle;
    if (this.unschedulable.size === 0) return;
    const waiting = [...this.unschedulable.values()];
    this.unschedulable.clear();
    for (const qpi of waiting) this.requeue(qpi);
  }

  backoffDurationUs(qpi: QueuedPodInfo): number {
    if (qpi.attempts === 0) return 0;
    let d = this.opts.initialBackoffUs;
    for (let i = 1; i < qpi.attempts && d < this.opts.maxBackoffUs; i++) d *= 2;
    return Math.min(d, this.opts.maxBackoffUs);
  }

  private requeue(qpi: QueuedPodInfo): void {
    if (qpi.timestampUs + this.backoffDurationUs(qpi) > this.sim.now) this.pushBackoff(qpi, false);
    else this.pushActive(qpi);
  }

  private pushActive(qpi: QueuedPodInfo): void {
    this.errorBackoff.delete(qpi.pod.key);
    this.inActive.add(qpi.pod.key);
    this.active.add(qpi);
    this.onActive();
  }

  /** Backoff expiries are aligned to the 1 s flush windows (KEP-5142: the expiry is truncated
   * to its window and moved to the window's end), so a pod leaves backoff at the first flush
   * tick strictly after its expiry. */
  private pushBackoff(qpi: QueuedPodInfo, error: boolean): void {
    if (error) this.errorBackoff.add(qpi.pod.key);
    else this.errorBackoff.delete(qpi.pod.key);
    const expiry = qpi.timestampUs + this.backoffDurationUs(qpi);
    const tick = Math.floor(expiry / BACKOFF_FLUSH_PERIOD_US) * BACKOFF_FLUSH_PERIOD_US + BACKOFF_FLUSH_PERIOD_US;
    let bucket = this.backoff.get(tick);
    if (bucket === undefined) {
      this.backoff.set(tick, (bucket = []));
      this.sim.scheduleAt(Math.max(tick, this.sim.now), 'scheduler.flush-backoff', '', () => this.flushBackoff(tick));
    }
    bucket.push(qpi);
    // An idle scheduler may pop it at once (SchedulerPopFromBackoffQ), so wake it.
    if (!error) this.onBackoff();
  }

  private flushBackoff(tick: number): void {
    const bucket = this.backoff.get(tick) ?? [];
    this.backoff.delete(tick);
    for (const qpi of bucket) if (this.known.has(qpi.pod.key) && !this.unschedulable.has(qpi.pod.key)) this.pushActive(qpi);
  }

  /** The leftover flush runs every 30 s from the scheduler's start; ksim only schedules the ticks
   * while some pod waits in unschedulablePods. */
  private armUnschedulableFlush(): void {
    if (this.unschedulableFlushArmed) return;
    this.unschedulableFlushArmed = true;
    const next = Math.floor(this.sim.now / UNSCHEDULABLE_FLUSH_PERIOD_US) * UNSCHEDULABLE_FLUSH_PERIOD_US + UNSCHEDULABLE_FLUSH_PERIOD_US;
    this.sim.scheduleAt(next, 'scheduler.flush-unschedulable', '', () => this.flushUnschedulable());
  }

  /** Pods that sat in unschedulablePods longer than the maximum go back to the queues. */
  private flushUnschedulable(): void {
    this.unschedulableFlushArmed = false;
    const now = this.sim.now;
    for (const [key, qpi] of [...this.unschedulable]) {
      if (now - qpi.timestampUs > this.opts.maxInUnschedulableUs) {
        this.unschedulable.delete(key);
        this.requeue(qpi);
      }
    }
    if (this.unschedulable.size > 0) this.armUnschedulableFlush();
  }
}
