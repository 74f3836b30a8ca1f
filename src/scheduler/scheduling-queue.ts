// The scheduling queue: activeQ ordered by the QueueSort plugin, backoffQ, and the set of
// unschedulable pods that wait for a cluster event. Upstream
// pkg/scheduler/backend/queue/{scheduling_queue.go,backoff_queue.go}; defaults from
// pkg/scheduler/apis/config/v1/defaults.go (podInitialBackoffSeconds 1, podMaxBackoffSeconds 10)
// and DefaultPodMaxInUnschedulablePodsDuration (5 min, flushed every 30 s). Pods are keyed by
// object identity, not by name: a pod deleted while queued and recreated under the same name
// (StatefulSets, traces, imports) is a different entry. Which cluster events move a pod out of
// unschedulablePods is decided by the queueing hints of the plugins that rejected it.
import FastPriorityQueue from 'fastpriorityqueue';
import type { Simulation } from '../engine/simulation.js';
import { pollClearing } from '../engine/heap.js';
import { US_PER_S } from '../engine/time.js';
import type { PodInfo } from '../cluster/pod-info.js';
import type { QueuedPodInfo } from './framework/interfaces.js';
import {
  EVENT_UNSCHEDULABLE_TIMEOUT,
  eventMatches,
  type ClusterEvent,
  type ClusterEventWithHint,
  type NodeView,
} from './framework/events.js';

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
/** In-flight event log length past which it is cut at the oldest in-flight pod's pop. */
const IN_FLIGHT_TRIM_AT = 4096;

/** Per plugin name, the events (with hints) it registered; undefined for a plugin that does not
 * implement EnqueueExtensions (it is interested in every event). */
export type QueueingHintMap = ReadonlyMap<string, readonly ClusterEventWithHint[] | undefined>;

type EventObject = NodeView | PodInfo | undefined;

interface RecordedEvent {
  readonly event: ClusterEvent;
  readonly oldObj: EventObject;
  readonly newObj: EventObject;
}

/** A pod's place in backoffQ: the flush tick it waits for, and its insertion order. */
interface BackoffEntry {
  readonly qpi: QueuedPodInfo;
  readonly tick: number;
  readonly seq: number;
}

/** Where a pod held by the queue is (SchedulingQueue.place). */
export type QueuePlace = 'active' | 'backoff' | 'unschedulable' | 'in-flight';

/** Upstream queueingStrategy (queueImmediately is only for Pending plugins, which ksim has none of). */
type Strategy = 'skip' | 'afterBackoff';

/** No attempt yet: no rejecting plugins (shared; a QueuedPodInfo's set is replaced, never changed). */
const NONE_YET: ReadonlySet<string> = new Set();

export class SchedulingQueue {
  private readonly active: FastPriorityQueue<QueuedPodInfo>;
  /** Backoff entries by the flush tick (µs) at which they become active, in insertion order. */
  private readonly backoff = new Map<number, BackoffEntry[]>();
  /** The poppable backoff entries (not Error backoff) in pop order: earliest tick, then QueueSort,
   * then insertion. Entries no longer current are dropped when they reach the top or their tick
   * is flushed, so a pop costs O(log n) instead of a scan of the bucket. */
  private readonly backoffHeap: FastPriorityQueue<BackoffEntry>;
  /** Each pod's current backoff entry; any other entry of the pod is stale. */
  private readonly backoffEntryOf = new Map<PodInfo, BackoffEntry>();
  private backoffSeq = 0;
  private readonly unschedulable = new Map<PodInfo, QueuedPodInfo>();
  /** Every pod the queue holds, in any sub-queue or in flight. */
  private readonly known = new Map<PodInfo, QueuedPodInfo>();
  private readonly inActive = new Set<PodInfo>();
  /** Pods popped and not yet back or done, with the index in `inFlightEvents` at their pop. */
  private readonly inFlight = new Map<PodInfo, number>();
  /** The pops in order (pod and index, in two arrays), from `popsHead` on: the oldest pod still in
   * flight is the first whose map entry still holds that index. The map's own first entry is
   * the same pod, but a Map iterator walks over every entry deleted since the table was last
   * rebuilt: with 30,000 DaemonSet pods binding, reading it on each binding was quadratic. */
  private popPods: PodInfo[] = [];
  private popIndexes: number[] = [];
  private popsHead = 0;
  /** Events received while some pod was in flight (upstream inFlightEvents), replayed through
   * the hints when an in-flight pod fails. Indexes are offset by `inFlightBase`. */
  private inFlightEvents: RecordedEvent[] = [];
  private inFlightBase = 0;
  private unschedulableFlushArmed = false;

  constructor(
    private readonly sim: Simulation,
    less: (a: QueuedPodInfo, b: QueuedPodInfo) => boolean,
    private readonly onActive: () => void,
    private readonly opts: QueueOptions = DEFAULT_QUEUE_OPTIONS,
    /** Called when a pod enters backoffQ (an idle scheduler may pop it early). */
    private readonly onBackoff: () => void = () => {},
    /** The hint map of the profile that schedules `pod`. */
    private readonly hintsFor: (pod: PodInfo) => QueueingHintMap | undefined = () => undefined,
  ) {
    this.active = new FastPriorityQueue<QueuedPodInfo>(less);
    this.backoffHeap = new FastPriorityQueue<BackoffEntry>(
      (a, b) => a.tick < b.tick || (a.tick === b.tick && (less(a.qpi, b.qpi) || (!less(b.qpi, a.qpi) && a.seq < b.seq))),
    );
  }

  get activeCount(): number {
    return this.inActive.size;
  }

  get pendingCount(): number {
    return this.known.size;
  }

  /** Pops the queue still lists to find the oldest one in flight (for tests: it follows the
   * pods in flight, not every pop). */
  get inFlightPopsListed(): number {
    return this.popPods.length - this.popsHead;
  }

  /** Events kept for pods in flight (bounded: see trimInFlightEvents). */
  get inFlightEventCount(): number {
    return this.inFlightEvents.length;
  }

  /** Pods waiting in unschedulablePods. */
  get unschedulableCount(): number {
    return this.unschedulable.size;
  }

  /** True while `pod` is held by the queue (in any sub-queue or in flight). */
  has(pod: PodInfo): boolean {
    return this.known.has(pod);
  }

  /** Where `pod` is now (read by the invariant checker's pending-feasible check): in activeQ,
   * in backoffQ (either kind), waiting in unschedulablePods, popped and in its cycle, or not
   * held at all (null). */
  place(pod: PodInfo): QueuePlace | null {
    if (!this.known.has(pod)) return null;
    if (this.inFlight.has(pod)) return 'in-flight';
    if (this.inActive.has(pod)) return 'active';
    if (this.unschedulable.has(pod)) return 'unschedulable';
    return 'backoff';
  }

  /** Scheduling attempts the queue has counted for `pod` (0 when it does not hold it). */
  attemptsOf(pod: PodInfo): number {
    return this.known.get(pod)?.attempts ?? 0;
  }

  /** A new pod to schedule. */
  add(pod: PodInfo): void {
    if (this.known.has(pod)) return;
    const now = this.sim.now;
    const qpi: QueuedPodInfo = { pod, timestampUs: now, initialTimestampUs: now, attempts: 0, unschedulablePlugins: NONE_YET };
    this.known.set(pod, qpi);
    this.pushActive(qpi);
  }

  /** Next pod to schedule: from activeQ, or, when activeQ is empty, the pod whose backoff ends
   * first (SchedulerPopFromBackoffQ, KEP-5142, on by default since v1.33). */
  pop(): QueuedPodInfo | undefined {
    while (!this.active.isEmpty()) {
      // Clearing the slot poll leaves: a bound and finished pod is not kept alive by it.
      const qpi = pollClearing(this.active) as QueuedPodInfo;
      if (!this.inActive.delete(qpi.pod)) continue; // deleted while queued
      return this.started(qpi);
    }
    const fromBackoff = this.popBackoff();
    return fromBackoff === undefined ? undefined : this.started(fromBackoff);
  }

  private started(qpi: QueuedPodInfo): QueuedPodInfo {
    this.backoffEntryOf.delete(qpi.pod);
    qpi.attempts++;
    const index = this.inFlightBase + this.inFlightEvents.length;
    this.inFlight.set(qpi.pod, index);
    // While some pod stays in flight the list is only cut when the event log is trimmed: it is
    // cut here too once ended pops are most of it, so it follows the pods in flight.
    if (this.popPods.length >= 2 * this.inFlight.size + 1024) this.dropEndedPops();
    this.popPods.push(qpi.pod);
    this.popIndexes.push(index);
    return qpi;
  }

  /** Removes the first pod of the earliest backoff bucket (in QueueSort order within it, then
   * in the order the pods entered backoff); Error-backoff pods are never popped early. */
  private popBackoff(): QueuedPodInfo | undefined {
    const heap = this.backoffHeap;
    while (!heap.isEmpty()) {
      const e = pollClearing(heap) as BackoffEntry;
      if (this.backoffEntryOf.get(e.qpi.pod) !== e) continue; // popped, flushed or deleted since
      this.backoffEntryOf.delete(e.qpi.pod);
      return e.qpi;
    }
    return undefined;
  }

  /** A pod whose attempt failed. Pods with an Error, without rejecting plugins, or for which an
   * event during their attempt may have helped (by their rejectors' hints) go to backoffQ; the
   * rest wait in unschedulablePods (upstream AddUnschedulableIfNotPresent with
   * determineSchedulingHintForInFlightPod). */
  addUnschedulable(qpi: QueuedPodInfo, error: boolean): void {
    const since = this.inFlight.get(qpi.pod);
    const strategy = error || !this.known.has(qpi.pod) ? 'afterBackoff' : this.hintForInFlight(qpi, since);
    this.inFlight.delete(qpi.pod);
    this.trimInFlightEvents();
    if (!this.known.has(qpi.pod)) return;
    qpi.timestampUs = this.sim.now;
    if (error) {
      this.pushBackoff(qpi, true);
      return;
    }
    if (strategy === 'afterBackoff') {
      this.pushBackoff(qpi, false);
    } else {
      this.unschedulable.set(qpi.pod, qpi);
      this.armUnschedulableFlush();
    }
  }

  private hintForInFlight(qpi: QueuedPodInfo, since: number | undefined): Strategy {
    if (qpi.unschedulablePlugins.size === 0) return 'afterBackoff';
    if (since === undefined) return 'skip';
    for (let i = since - this.inFlightBase; i < this.inFlightEvents.length; i++) {
      const e = this.inFlightEvents[i] as RecordedEvent;
      if (this.isPodWorthRequeuing(qpi, e.event, e.oldObj, e.newObj) === 'afterBackoff') return 'afterBackoff';
    }
    return 'skip';
  }

  /** Forgets events no in-flight pod can still need. Bindings overlap in a steady stream, so the
   * set of in-flight pods may never be empty: then the log is cut at the oldest pop once it has
   * grown past a bound (amortised over that many events). */
  private trimInFlightEvents(): void {
    if (this.inFlight.size === 0) {
      this.inFlightBase += this.inFlightEvents.length;
      this.inFlightEvents = [];
      this.popPods = [];
      this.popIndexes = [];
      this.popsHead = 0;
      return;
    }
    if (this.inFlightEvents.length < IN_FLIGHT_TRIM_AT) return;
    // The oldest pop still in flight (entries are added in pop order with growing indexes): a
    // scan of every in-flight pod here, on each binding while the oldest pod stayed in flight,
    // made 30,000 DaemonSet pods binding at once quadratic (a third of their cost).
    const oldest = this.oldestPop();
    const drop = oldest - this.inFlightBase;
    // Cut only when at least half the log goes: a cut copies what is kept, and cutting the few
    // entries before a slightly newer oldest pop on each binding copied thousands every time.
    if (drop <= 0 || 2 * drop < this.inFlightEvents.length) return;
    this.inFlightEvents = this.inFlightEvents.slice(drop);
    this.inFlightBase = oldest;
  }

  /** The index at the oldest pop of a pod still in flight (some pod is). Pops that ended are
   * passed over once (the lists are cut by dropEndedPops as pods are popped). */
  private oldestPop(): number {
    const pods = this.popPods;
    const indexes = this.popIndexes;
    let h = this.popsHead;
    while (this.inFlight.get(pods[h] as PodInfo) !== indexes[h]) h++;
    this.popsHead = h;
    return indexes[h] as number;
  }

  /** Keeps only the pops of pods still in flight (in order). */
  private dropEndedPops(): void {
    const pods: PodInfo[] = [];
    const indexes: number[] = [];
    for (let i = this.popsHead; i < this.popPods.length; i++) {
      const p = this.popPods[i] as PodInfo;
      const index = this.popIndexes[i] as number;
      if (this.inFlight.get(p) !== index) continue;
      pods.push(p);
      indexes.push(index);
    }
    this.popPods = pods;
    this.popIndexes = indexes;
    this.popsHead = 0;
  }

  /** The pod was bound or deleted: forget it. */
  done(pod: PodInfo): void {
    this.known.delete(pod);
    this.unschedulable.delete(pod);
    this.inActive.delete(pod);
    this.backoffEntryOf.delete(pod);
    if (this.inFlight.delete(pod)) this.trimInFlightEvents();
  }

  /** A cluster event: pods in unschedulablePods whose rejecting plugins' hints say it may help
   * go to activeQ, or to backoffQ while their backoff runs (upstream
   * MoveAllToActiveOrBackoffQueue). Pods in flight hear of it when their attempt ends. `except`
   * stays where it is (upstream's preCheck, used for a rejected binding's own pod). */
  moveAllToActiveOrBackoff(event: ClusterEvent = EVENT_UNSCHEDULABLE_TIMEOUT, oldObj?: EventObject, newObj?: EventObject, except?: PodInfo): void {
    if (this.inFlight.size > 0) this.inFlightEvents.push({ event, oldObj, newObj });
    if (this.unschedulable.size === 0) return;
    let moved: QueuedPodInfo[] | null = null;
    for (const qpi of this.unschedulable.values()) {
      if (qpi.pod === except || this.isPodWorthRequeuing(qpi, event, oldObj, newObj) === 'skip') continue;
      (moved ??= []).push(qpi);
    }
    if (moved === null) return;
    for (const qpi of moved) {
      this.unschedulable.delete(qpi.pod);
      this.requeue(qpi);
    }
  }

  /** Upstream isPodWorthRequeuing: a pod no plugin rejected, or a wildcard event, is always
   * worth a retry; otherwise some plugin that rejected it must have registered the event and
   * its hint (if any) must say Queue. */
  private isPodWorthRequeuing(qpi: QueuedPodInfo, event: ClusterEvent, oldObj: EventObject, newObj: EventObject): Strategy {
    const rejectors = qpi.unschedulablePlugins;
    if (rejectors.size === 0 || event.resource === '*') return 'afterBackoff';
    const hints = this.hintsFor(qpi.pod);
    if (hints === undefined) return 'afterBackoff';
    for (const plugin of rejectors) {
      const registered = hints.get(plugin);
      // Not an EnqueueExtensions plugin (or unknown to the profile): every event may help.
      if (registered === undefined) return 'afterBackoff';
      for (const r of registered) {
        if (!eventMatches(r.event, event)) continue;
        if (r.hint === undefined || r.hint(qpi.pod, oldObj, newObj) === 'Queue') return 'afterBackoff';
      }
    }
    return 'skip';
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
    this.backoffEntryOf.delete(qpi.pod);
    this.inActive.add(qpi.pod);
    this.active.add(qpi);
    this.onActive();
  }

  /** Backoff expiries are aligned to the 1 s flush windows (KEP-5142: the expiry is truncated
   * to its window and moved to the window's end), so a pod leaves backoff at the first flush
   * tick strictly after its expiry. */
  private pushBackoff(qpi: QueuedPodInfo, error: boolean): void {
    const expiry = qpi.timestampUs + this.backoffDurationUs(qpi);
    const tick = Math.floor(expiry / BACKOFF_FLUSH_PERIOD_US) * BACKOFF_FLUSH_PERIOD_US + BACKOFF_FLUSH_PERIOD_US;
    let bucket = this.backoff.get(tick);
    if (bucket === undefined) {
      this.backoff.set(tick, (bucket = []));
      this.sim.scheduleAt(Math.max(tick, this.sim.now), 'scheduler.flush-backoff', '', () => this.flushBackoff(tick));
    }
    const entry: BackoffEntry = { qpi, tick, seq: this.backoffSeq++ };
    bucket.push(entry);
    this.backoffEntryOf.set(qpi.pod, entry);
    // An idle scheduler may pop it at once (SchedulerPopFromBackoffQ), so wake it; an Error
    // backoff (upstream podErrorBackoffQ) is only ever left by its flush.
    if (!error) {
      this.backoffHeap.add(entry);
      this.onBackoff();
    }
  }

  private flushBackoff(tick: number): void {
    const bucket = this.backoff.get(tick) ?? [];
    this.backoff.delete(tick);
    for (const e of bucket) {
      if (this.backoffEntryOf.get(e.qpi.pod) !== e) continue; // popped early or deleted
      this.pushActive(e.qpi);
    }
    // Every heap entry of this tick or earlier is now flushed or stale.
    const heap = this.backoffHeap;
    while (!heap.isEmpty() && (heap.peek() as BackoffEntry).tick <= tick) pollClearing(heap);
  }

  /** The leftover flush runs every 30 s from the scheduler's start; ksim only schedules the ticks
   * while some pod waits in unschedulablePods. */
  private armUnschedulableFlush(): void {
    if (this.unschedulableFlushArmed) return;
    this.unschedulableFlushArmed = true;
    const next = Math.floor(this.sim.now / UNSCHEDULABLE_FLUSH_PERIOD_US) * UNSCHEDULABLE_FLUSH_PERIOD_US + UNSCHEDULABLE_FLUSH_PERIOD_US;
    this.sim.scheduleAt(next, 'scheduler.flush-unschedulable', '', () => this.flushUnschedulable());
  }

  /** Pods that sat in unschedulablePods longer than the maximum go back to the queues
   * (upstream flushUnschedulablePodsLeftover with EventUnschedulableTimeout). */
  private flushUnschedulable(): void {
    this.unschedulableFlushArmed = false;
    const now = this.sim.now;
    for (const [pod, qpi] of [...this.unschedulable]) {
      if (now - qpi.timestampUs > this.opts.maxInUnschedulableUs) {
        this.unschedulable.delete(pod);
        this.requeue(qpi);
      }
    }
    if (this.unschedulable.size > 0) this.armUnschedulableFlush();
  }
}

