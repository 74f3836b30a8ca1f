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
  private schedulingCycle = 0;
  private moveRequestCycle = -1;
  private unschedulableFlushArmed = false;

  constructor(
    private readonly sim: Simulation,
    less: (a: QueuedPodInfo, b: QueuedPodInfo) => boolean,
    private readonly onActive: () => void,
    private readonly opts: QueueOptions = DEFAULT_QUEUE_OPTIONS,
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

  /** Next pod to schedule, or undefined when activeQ is empty. */
  pop(): QueuedPodInfo | undefined {
    while (!this.active.isEmpty()) {
      const qpi = this.active.poll() as QueuedPodInfo;
      if (!this.inActive.delete(qpi.pod.key)) continue; // deleted while queued
      qpi.attempts++;
      this.schedulingCycle++;
      return qpi;
    }
    return undefined;
  }

  /** A pod whose attempt failed. Pods with an Error, or whose cycle overlapped a cluster event
   * that may have helped them, go to backoffQ; the rest wait in unschedulablePods. */
  addUnschedulable(qpi: QueuedPodInfo, error: boolean): void {
    if (!this.known.has(qpi.pod.key)) return;
    qpi.timestampUs = this.sim.now;
    if (error || this.moveRequestCycle >= this.schedulingCycle) {
      this.pushBackoff(qpi);
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
    if (qpi.timestampUs + this.backoffDurationUs(qpi) > this.sim.now) this.pushBackoff(qpi);
    else this.pushActive(qpi);
  }

  private pushActive(qpi: QueuedPodInfo): void {
    this.inActive.add(qpi.pod.key);
    this.active.add(qpi);
    this.onActive();
  }

  /** Backoff expiries are checked by a flush every second, so a pod leaves backoff at the first
   * flush tick at or after its expiry. */
  private pushBackoff(qpi: QueuedPodInfo): void {
    const expiry = qpi.timestampUs + this.backoffDurationUs(qpi);
    const tick = Math.ceil(expiry / BACKOFF_FLUSH_PERIOD_US) * BACKOFF_FLUSH_PERIOD_US;
    let bucket = this.backoff.get(tick);
    if (bucket === undefined) {
      this.backoff.set(tick, (bucket = []));
      this.sim.scheduleAt(Math.max(tick, this.sim.now), 'scheduler.flush-backoff', '', () => this.flushBackoff(tick));
    }
    bucket.push(qpi);
  }

  private flushBackoff(tick: number): void {
    const bucket = this.backoff.get(tick) ?? [];
    this.backoff.delete(tick);
    for (const qpi of bucket) if (this.known.has(qpi.pod.key) && !this.unschedulable.has(qpi.pod.key)) this.pushActive(qpi);
  }

  private armUnschedulableFlush(): void {
    if (this.unschedulableFlushArmed) return;
    this.unschedulableFlushArmed = true;
    this.sim.schedule(UNSCHEDULABLE_FLUSH_PERIOD_US, 'scheduler.flush-unschedulable', '', () => this.flushUnschedulable());
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
