// The scheduler component: watches for unscheduled pods, runs one scheduling cycle at a time
// (each taking simulated time from the cost model), then binds asynchronously through the API.
import type { Simulation } from '../engine/simulation.js';
import type { RandomStream } from '../engine/random.js';
import type { ClusterState } from '../cluster/cluster-state.js';
import { snapshotPod, type PodInfo } from '../cluster/pod-info.js';
import type { ApiServer } from '../controlplane/api-server.js';
import { cycleCostUs, DEFAULT_CYCLE_COST, type CycleCostModel } from './cost-model.js';
import { Framework, WaitingPod, type ProfileConfig } from './framework/framework.js';
import type { CycleState } from './framework/cycle-state.js';
import type { BindPlugin, PluginFactory, QueuedPodInfo, SchedulerServices } from './framework/interfaces.js';
import { formatDuration } from '../api/duration.js';
import { Code, Status, isSuccess } from './framework/status.js';
import { bindSchedulerContext, PodNominator, ScheduleAlgorithm, type ScheduleResult, type SchedulerContext } from './schedule-one.js';
import { DEFAULT_QUEUE_OPTIONS, SchedulingQueue, type QueueingHintMap, type QueueOptions, type QueuePlace } from './scheduling-queue.js';
import {
  EVENT_ASSIGNED_POD_ADD,
  EVENT_ASSIGNED_POD_UPDATE_LABEL,
  EVENT_ASSIGNED_POD_DELETE,
  EVENT_NODE_ADD,
  EVENT_NODE_DELETE,
  nodeChangeEvents,
  snapshotNode,
  type ClusterEventWithHint,
  type EnqueueExtensions,
} from './framework/events.js';
import { implementsMethod } from './framework/interfaces.js';

export type AttemptResult = 'bound' | 'unschedulable' | 'error';

/** One scheduling outcome, as placements.csv records it. */
export interface AttemptRecord {
  readonly timeUs: number;
  readonly pod: PodInfo;
  readonly attempt: number;
  readonly result: AttemptResult;
  readonly node: string;
  readonly reason: string;
  /** The plugin whose Error ended the attempt (result "error"), '' when none is known (a node
   * gone during the cycle) or the attempt did not err. The scheduler always sets it. */
  readonly plugin?: string;
  readonly queueWaitUs: number;
  readonly cycleUs: number;
  /** -1 when there was no binding. */
  readonly bindUs: number;
}

/** A pod the scheduler deleted to make room for a higher-priority pod (preemption). */
export interface PreemptionRecord {
  readonly timeUs: number;
  readonly victim: PodInfo;
  /** The node the victim was on. */
  readonly node: string;
  /** Names the preemptor, e.g. "preempted by default/high-1 on node n1". */
  readonly reason: string;
}

export interface SchedulerObserver {
  attempt(r: AttemptRecord): void;
  /** Called when a preemption victim's deletion is requested. */
  preempted?(r: PreemptionRecord): void;
}

export class Scheduler {
  readonly frameworks = new Map<string, Framework>();
  private readonly queue: SchedulingQueue;
  readonly algorithm: ScheduleAlgorithm;
  private busy = false;
  /** Pods PreEnqueue keeps out of the queue, with the reason. */
  readonly gated = new Map<string, string>();
  private kickPending = false;
  attempts = 0;
  /** Pods nominated to nodes by preemption. */
  readonly nominator = new PodNominator();
  /** Preemption victims whose deletion is in flight. */
  private readonly terminatingVictims = new Set<PodInfo>();
  /** True while the algorithm computes a cycle. Deletions requested through the handle then
   * (preemption victims) are collected and take effect when the cycle ends, after its simulated
   * duration, not when the algorithm computes them. */
  private inCycle = false;
  private cycleDeletes: Array<{ readonly pod: PodInfo; readonly reason: string }> | null = null;

  constructor(
    private readonly sim: Simulation,
    private readonly api: ApiServer,
    private readonly cluster: ClusterState,
    profiles: readonly ProfileConfig[],
    registry: ReadonlyMap<string, PluginFactory>,
    rng: RandomStream,
    private readonly observer: SchedulerObserver,
    queueOptions: QueueOptions = DEFAULT_QUEUE_OPTIONS,
    private readonly cost: CycleCostModel = DEFAULT_CYCLE_COST,
  ) {
    const handle: SchedulerServices = {
      cluster,
      bindPod: (pod, nodeName, done) => {
        api.bindPod(pod, nodeName, done);
      },
      deletePod: (pod, reason) => {
        if (this.inCycle) (this.cycleDeletes ??= []).push({ pod, reason });
        else this.deleteVictim(pod, reason);
      },
    };
    this.algorithm = new ScheduleAlgorithm(cluster, rng, this.nominator);
    // Plugins that ask for it (DefaultPreemption) get the nominator, the nominated-pods-aware
    // filter runner, the scheduler's random stream and the in-flight victim deletions.
    const ctx: SchedulerContext = {
      nominator: this.nominator,
      filters: this.algorithm.filters,
      rng,
      // This scheduler's victims, and a snapshot's pods being deleted by a preemption.
      isTerminatingVictim: (p) => this.terminatingVictims.has(p) || p.past?.preemptedByScheduler === true,
    };
    const reg = bindSchedulerContext(registry, ctx);
    for (const p of profiles) this.frameworks.set(p.schedulerName, new Framework(p, reg, handle));
    const first = this.frameworks.values().next().value as Framework;
    const hintMaps = new Map<string, QueueingHintMap>();
    for (const [name, fwk] of this.frameworks) hintMaps.set(name, queueingHintMap(fwk));
    this.queue = new SchedulingQueue(
      sim,
      (a, b) => first.queueSort.less(a, b),
      () => this.kick(),
      queueOptions,
      () => this.kick(),
      (p) => hintMaps.get(p.schedulerName),
    );
    // Cluster events, as upstream's event handlers turn informer notifications into them
    // (pkg/scheduler/eventhandlers.go with queueing hints on).
    api.watch({
      podAdded: (p) => {
        const fwk = this.frameworks.get(p.schedulerName);
        if (p.nodeName !== null) {
          this.queue.moveAllToActiveOrBackoff(EVENT_ASSIGNED_POD_ADD, undefined, p);
          return;
        }
        if (fwk === undefined) return;
        // PreEnqueue (SchedulingGates): a gated pod stays out of the queue. ksim has no pod
        // updates yet, so it stays pending.
        for (const pe of fwk.preEnqueue) {
          const v = pe.preEnqueue(p);
          if (!isSuccess(v)) {
            this.gated.set(p.key, v.message);
            return;
          }
        }
        this.queue.add(p);
        // A snapshot's pod waiting on a preemption keeps its nomination (upstream's queue gives
        // the nominator the pod's status.nominatedNodeName when it queues it).
        const nominated = p.past?.nominatedNodeName;
        if (nominated !== undefined && p.nominatedNodeName === null) this.nominator.set(p, nominated);
      },
      podBound: (p) => this.queue.moveAllToActiveOrBackoff(EVENT_ASSIGNED_POD_ADD, undefined, p),
      podDeleted: (p) => {
        this.gated.delete(p.key);
        this.terminatingVictims.delete(p);
        if (p.nominatedNodeName !== null) this.nominator.remove(p);
        this.queue.done(p);
        // Only an assigned pod frees a place (upstream: the assigned-pod informer's delete).
        if (p.nodeName !== null) this.queue.moveAllToActiveOrBackoff(EVENT_ASSIGNED_POD_DELETE, p, undefined);
      },
      // ksim takes a finished pod off its node's books (its resources are free), so the
      // scheduler hears it as an assigned pod leaving.
      podPhaseChanged: (p) => {
        if (p.terminal && p.nodeName !== null) this.queue.moveAllToActiveOrBackoff(EVENT_ASSIGNED_POD_DELETE, p, undefined);
      },
      // An assigned pod's labels changed (a pod update): upstream updatePodInCache moves the
      // pods whose rejecting plugins' hints take AssignedPod/UpdatePodLabel (PodTopologySpread,
      // InterPodAffinity: a pod matching, or no longer matching, their selectors), with the pod
      // as it was and as it is (framework/events.go PodSchedulingPropertiesChange).
      podUpdated: (p, oldLabels) => {
        if (p.nodeName === null || p.labels === oldLabels) return;
        const before = Object.create(p, { labels: { value: oldLabels } }) as PodInfo;
        this.queue.moveAllToActiveOrBackoff(EVENT_ASSIGNED_POD_UPDATE_LABEL, before, p);
      },
      nodeAdded: (n) => this.queue.moveAllToActiveOrBackoff(EVENT_NODE_ADD, undefined, n),
      // Upstream deleteNodeFromCache: the queue hears Node/Delete with the node as it was; the
      // cache's node goes (here at the API server's commit: the scheduler reads ClusterState).
      nodeDeleted: (n) => this.queue.moveAllToActiveOrBackoff(EVENT_NODE_DELETE, snapshotNode(n), undefined),
      nodeUpdated: (_n, before, after) => {
        for (const e of nodeChangeEvents(before, after)) this.queue.moveAllToActiveOrBackoff(e, before, after);
      },
    });
  }

  /** Pods the scheduler still has to place (queued or in a cycle). */
  get pendingCount(): number {
    return this.queue.pendingCount;
  }

  /** Where `pod` is in the scheduling queue (null: not held; see SchedulingQueue.place). */
  queuePlace(pod: PodInfo): QueuePlace | null {
    return this.queue.place(pod);
  }

  /** Scheduling attempts of a pod the queue holds (0 otherwise). */
  queueAttempts(pod: PodInfo): number {
    return this.queue.attemptsOf(pod);
  }

  private kick(): void {
    if (this.busy || this.kickPending) return;
    this.kickPending = true;
    this.sim.schedule(0, 'scheduler.next', '', () => {
      this.kickPending = false;
      this.scheduleNext();
    });
  }

  private scheduleNext(): void {
    if (this.busy) return;
    const qpi = this.queue.pop();
    if (qpi === undefined) return;
    const pod = qpi.pod;
    const fwk = this.frameworks.get(pod.schedulerName) as Framework;
    const startUs = this.sim.now;
    const state = fwk.newCycleState();
    this.inCycle = true;
    let result: ScheduleResult;
    let deletes: ReadonlyArray<{ readonly pod: PodInfo; readonly reason: string }>;
    try {
      result = this.algorithm.schedule(fwk, state, pod);
    } finally {
      this.inCycle = false;
      deletes = this.cycleDeletes ?? NO_DELETES;
      this.cycleDeletes = null;
    }
    const cycleUs = cycleCostUs(
      this.cost,
      result.nodesEvaluated * fwk.filter.length,
      result.nodesScored * fwk.score.length,
    );
    const queueWaitUs = startUs - qpi.timestampUs;
    this.busy = true;
    this.attempts++;
    this.sim.schedule(cycleUs, 'scheduler.cycle-end', pod.key, () => {
      this.busy = false;
      this.finishCycle(fwk, state, qpi, result, deletes, queueWaitUs, cycleUs);
      this.kick();
    });
  }

  private finishCycle(
    fwk: Framework,
    state: ReturnType<Framework['newCycleState']>,
    qpi: QueuedPodInfo,
    sr: ScheduleResult,
    deletes: ReadonlyArray<{ readonly pod: PodInfo; readonly reason: string }>,
    queueWaitUs: number,
    cycleUs: number,
  ): void {
    const { nodeName, code, reason, unschedulablePlugins } = sr;
    // Preemption victims chosen in this cycle (upstream deletes them within the cycle).
    for (const d of deletes) this.deleteVictim(d.pod, d.reason);
    const pod = qpi.pod;
    if (pod.deleted) {
      // Deleted while its cycle ran: the cycle still counts (sched_attempts, upstream's
      // scheduler_schedule_attempts_total), so it gets its placements.csv row, with what the
      // cycle found; nothing is assumed or requeued (upstream handleSchedulingFailure: "Pod
      // doesn't exist in informer cache", not requeued; a node found would fail at Bind, the
      // pod gone).
      if (nodeName === null) this.record(qpi, code === Code.Error ? 'error' : 'unschedulable', '', reason, queueWaitUs, cycleUs, -1, sr.errorPlugin ?? '');
      else this.record(qpi, 'error', '', `pod was deleted during its scheduling cycle, which chose node ${nodeName}: not bound`, queueWaitUs, cycleUs, -1);
      return;
    }
    const node = nodeName === null ? undefined : this.cluster.nodeByName.get(nodeName);
    if (node === undefined) {
      const result: AttemptResult = code === Code.Error || nodeName !== null ? 'error' : 'unschedulable';
      const why = nodeName !== null ? `node ${nodeName} disappeared during the cycle` : reason;
      this.nominate(pod, nodeName !== null ? '' : sr.nominatedNodeName);
      this.record(qpi, result, '', why, queueWaitUs, cycleUs, -1, sr.errorPlugin ?? '');
      qpi.unschedulablePlugins = new Set(unschedulablePlugins);
      this.queue.addUnschedulable(qpi, result === 'error');
      return;
    }
    // Assume (which ends any nomination, upstream DeleteNominatedPodIfExists), reserve, then
    // bind asynchronously.
    if (pod.nominatedNodeName !== null) this.nominator.remove(pod);
    this.cluster.assume(pod, node);
    for (const r of fwk.reserve) {
      const v = r.reserve(state, pod, node.name);
      if (!isSuccess(v)) {
        this.unbind(fwk, state, qpi, node.name, v.withPlugin(r.name), queueWaitUs, cycleUs, -1, false);
        return;
      }
    }
    // Permit: any rejection ends here; Wait holds the pod until every waiting plugin allows it
    // or the longest wait (capped at upstream's 15 min) runs out.
    const waitFor: string[] = [];
    let waitUs = 0;
    for (const p of fwk.permit) {
      const { status, waitUs: w } = p.permit(state, pod, node.name);
      if (status === null || status.code === Code.Success) continue;
      if (status.code === Code.Wait) {
        waitFor.push(p.name);
        waitUs = Math.max(waitUs, Math.min(w ?? MAX_PERMIT_WAIT_US, MAX_PERMIT_WAIT_US));
        continue;
      }
      this.unbind(fwk, state, qpi, node.name, status.withPlugin(p.name), queueWaitUs, cycleUs, -1, false);
      return;
    }
    const proceed = () => this.bindCycle(fwk, state, qpi, node.name, queueWaitUs, cycleUs);
    if (waitFor.length === 0) {
      proceed();
      return;
    }
    const timer = this.sim.schedule(waitUs, 'scheduler.permit-timeout', pod.key, () => {
      waiting.reject(waitFor.join(','), `rejected due to timeout after waiting ${formatDuration(waitUs)} at plugin ${waiting.pendingPlugins.join(',')}`);
    });
    const waiting = new WaitingPod(pod, waitFor, (v) => {
      fwk.waitingPods.delete(pod.key);
      this.sim.cancel(timer);
      if (v === null) proceed();
      else this.unbind(fwk, state, qpi, node.name, v, queueWaitUs, cycleUs, -1, true);
    });
    fwk.waitingPods.set(pod.key, waiting);
  }

  /** The binding cycle: PreBind, then Bind (asynchronous), then PostBind. */
  private bindCycle(fwk: Framework, state: CycleState, qpi: QueuedPodInfo, nodeName: string, queueWaitUs: number, cycleUs: number): void {
    const pod = qpi.pod;
    if (pod.deleted) return;
    for (const p of fwk.preBind) {
      const v = p.preBind(state, pod, nodeName);
      if (!isSuccess(v)) {
        this.unbind(fwk, state, qpi, nodeName, v.code === Code.Error ? v : Status.error(`running PreBind plugin "${p.name}": ${v.message}`), queueWaitUs, cycleUs, -1, true);
        return;
      }
    }
    const bindStart = this.sim.now;
    const binder = fwk.bind[0] as BindPlugin;
    binder.bind(state, pod, nodeName, (v) => {
      const bindUs = this.sim.now - bindStart;
      if (!isSuccess(v)) {
        this.unbind(fwk, state, qpi, nodeName, v, queueWaitUs, cycleUs, bindUs, true);
        return;
      }
      this.queue.done(pod);
      for (const pb of fwk.postBind) pb.postBind(state, pod, nodeName);
      this.record(qpi, 'bound', nodeName, '', queueWaitUs, cycleUs, bindUs);
    });
  }

  /** A failure after the pod was assumed: Unreserve in reverse order, forget the assumed pod,
   * record the attempt and requeue (an Error pays the error backoff).
   *
   * In the binding cycle (a waiting pod rejected, a failed PreBind or Bind) upstream
   * handleBindingCycleError treats forgetting the pod as an AssignedPodDelete event whose object
   * is the assumed pod, spec.nodeName set, so hints that pass over unscheduled pods (NodeResourcesFit,
   * InterPodAffinity, ...) take it: the place it held is free. The event goes out before the
   * pod is requeued after an Error, and after it (leaving the pod itself where it is) after a
   * rejection. A Reserve or Permit failure in the scheduling cycle sends no event (upstream
   * schedulingCycle only forgets the pod). */
  private unbind(fwk: Framework, state: CycleState, qpi: QueuedPodInfo, nodeName: string, v: Status, queueWaitUs: number, cycleUs: number, bindUs: number, bindingCycle: boolean): void {
    const pod = qpi.pod;
    for (const u of [...fwk.reserve].reverse()) u.unreserve(state, pod, nodeName);
    // Copied before forget() clears its nodeName: the queue may read the event's object later.
    const assumed = bindingCycle ? snapshotPod(pod) : null;
    this.cluster.forget(pod);
    const rejected = v.code === Code.Unschedulable || v.code === Code.UnschedulableAndUnresolvable;
    if (assumed !== null && !rejected) this.queue.moveAllToActiveOrBackoff(EVENT_ASSIGNED_POD_DELETE, assumed, undefined);
    const error = v.code === Code.Error;
    this.record(qpi, error ? 'error' : 'unschedulable', '', v.message, queueWaitUs, cycleUs, bindUs, error ? v.plugin : '');
    if (!error && v.plugin !== '') qpi.unschedulablePlugins = new Set([v.plugin]);
    if (!pod.deleted) this.queue.addUnschedulable(qpi, error);
    if (assumed !== null && rejected) this.queue.moveAllToActiveOrBackoff(EVENT_ASSIGNED_POD_DELETE, assumed, undefined, pod);
  }

  /** Applies a failed cycle's NominatingInfo: undefined keeps the nomination, "" clears it, a
   * node name nominates the pod there; lower-priority pods nominated to that node lose their
   * nomination (upstream prepareCandidate, getLowerPriorityNominatedPods). */
  private nominate(pod: PodInfo, nodeName: string | undefined): void {
    if (nodeName === undefined) return;
    if (nodeName === '') {
      if (pod.nominatedNodeName !== null) this.nominator.remove(pod);
      return;
    }
    for (const other of [...(this.nominator.forNode(nodeName) ?? [])]) {
      if (other !== pod && other.priority < pod.priority) this.nominator.remove(other);
    }
    this.nominator.set(pod, nodeName);
  }

  /** Deletes a preemption victim through the API (the deletion commits after a write latency);
   * victims already being deleted are skipped, as upstream skips pods with a deletionTimestamp. */
  private deleteVictim(victim: PodInfo, reason: string): void {
    if (victim.deleted || victim.terminating || this.terminatingVictims.has(victim)) return;
    this.terminatingVictims.add(victim);
    this.observer.preempted?.({ timeUs: this.sim.now, victim, node: victim.nodeName ?? '', reason });
    this.api.deletePod(victim, reason);
  }

  private record(qpi: QueuedPodInfo, result: AttemptResult, node: string, reason: string, queueWaitUs: number, cycleUs: number, bindUs: number, plugin = ''): void {
    this.observer.attempt({ timeUs: this.sim.now, pod: qpi.pod, attempt: qpi.attempts, result, node, reason, plugin, queueWaitUs, cycleUs, bindUs });
  }
}

/** Upstream maxTimeout for a Permit Wait (framework/runtime/framework.go). */
const MAX_PERMIT_WAIT_US = 15 * 60 * 1_000_000;

const NO_DELETES: ReadonlyArray<{ readonly pod: PodInfo; readonly reason: string }> = [];

/** Each plugin's registered events (upstream buildQueueingHintMap): EnqueueExtensions plugins give
 * theirs; others are interested in every event (undefined). */
export function queueingHintMap(fwk: Framework): QueueingHintMap {
  const m = new Map<string, readonly ClusterEventWithHint[] | undefined>();
  for (const [name, p] of fwk.plugins) {
    m.set(name, implementsMethod<EnqueueExtensions>(p, 'eventsToRegister') ? p.eventsToRegister() : undefined);
  }
  return m;
}
