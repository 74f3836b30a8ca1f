// The scheduler component: watches for unscheduled pods, runs one scheduling cycle at a time
// (each taking simulated time from the cost model), then binds asynchronously through the API.
import type { Simulation } from '../engine/simulation.js';
import type { RandomStream } from '../engine/random.js';
import type { ClusterState } from '../cluster/cluster-state.js';
import type { PodInfo } from '../cluster/pod-info.js';
import type { ApiServer } from '../controlplane/api-server.js';
import { cycleCostUs, DEFAULT_CYCLE_COST, type CycleCostModel } from './cost-model.js';
import { Framework, type ProfileConfig } from './framework/framework.js';
import type { BindPlugin, PluginFactory, QueuedPodInfo, SchedulerServices } from './framework/interfaces.js';
import { Code, isSuccess } from './framework/status.js';
import { bindSchedulerContext, PodNominator, ScheduleAlgorithm, type ScheduleResult, type SchedulerContext } from './schedule-one.js';
import { DEFAULT_QUEUE_OPTIONS, SchedulingQueue, type QueueOptions } from './scheduling-queue.js';

export type AttemptResult = 'bound' | 'unschedulable' | 'error';

/** One scheduling outcome, as placements.csv records it. */
export interface AttemptRecord {
  readonly timeUs: number;
  readonly pod: PodInfo;
  readonly attempt: number;
  readonly result: AttemptResult;
  readonly node: string;
  readonly reason: string;
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
  private readonly algorithm: ScheduleAlgorithm;
  private busy = false;
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
      isTerminatingVictim: (p) => this.terminatingVictims.has(p),
    };
    const reg = bindSchedulerContext(registry, ctx);
    for (const p of profiles) this.frameworks.set(p.schedulerName, new Framework(p, reg, handle));
    const first = this.frameworks.values().next().value as Framework;
    this.queue = new SchedulingQueue(sim, (a, b) => first.queueSort.less(a, b), () => this.kick(), queueOptions, () => this.kick());
    api.watch({
      podAdded: (p) => {
        if (p.nodeName === null && this.frameworks.has(p.schedulerName)) this.queue.add(p);
      },
      podDeleted: (p) => {
        this.terminatingVictims.delete(p);
        if (p.nominatedNodeName !== null) this.nominator.remove(p);
        this.queue.done(p);
        this.queue.moveAllToActiveOrBackoff();
      },
      podPhaseChanged: (p) => {
        if (p.terminal) this.queue.moveAllToActiveOrBackoff();
      },
      nodeAdded: () => this.queue.moveAllToActiveOrBackoff(),
    });
  }

  /** Pods the scheduler still has to place (queued or in a cycle). */
  get pendingCount(): number {
    return this.queue.pendingCount;
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
    if (pod.deleted) return;
    const node = nodeName === null ? undefined : this.cluster.nodeByName.get(nodeName);
    if (node === undefined) {
      const result: AttemptResult = code === Code.Error || nodeName !== null ? 'error' : 'unschedulable';
      const why = nodeName !== null ? `node ${nodeName} disappeared during the cycle` : reason;
      this.nominate(pod, nodeName !== null ? '' : sr.nominatedNodeName);
      this.record(qpi, result, '', why, queueWaitUs, cycleUs, -1);
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
        for (const u of [...fwk.reserve].reverse()) u.unreserve(state, pod, node.name);
        this.cluster.forget(pod);
        this.record(qpi, 'error', '', v.message, queueWaitUs, cycleUs, -1);
        this.queue.addUnschedulable(qpi, true);
        return;
      }
    }
    const bindStart = this.sim.now;
    const binder = fwk.bind[0] as BindPlugin;
    binder.bind(state, pod, node.name, (v) => {
      const bindUs = this.sim.now - bindStart;
      if (!isSuccess(v)) {
        for (const u of [...fwk.reserve].reverse()) u.unreserve(state, pod, node.name);
        this.cluster.forget(pod);
        this.record(qpi, 'error', '', v.message, queueWaitUs, cycleUs, bindUs);
        if (!pod.deleted) this.queue.addUnschedulable(qpi, true);
        return;
      }
      this.queue.done(pod);
      for (const pb of fwk.postBind) pb.postBind(state, pod, node.name);
      this.record(qpi, 'bound', node.name, '', queueWaitUs, cycleUs, bindUs);
    });
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
    if (victim.deleted || this.terminatingVictims.has(victim)) return;
    this.terminatingVictims.add(victim);
    this.observer.preempted?.({ timeUs: this.sim.now, victim, node: victim.nodeName ?? '', reason });
    this.api.deletePod(victim, reason);
  }

  private record(qpi: QueuedPodInfo, result: AttemptResult, node: string, reason: string, queueWaitUs: number, cycleUs: number, bindUs: number): void {
    this.observer.attempt({ timeUs: this.sim.now, pod: qpi.pod, attempt: qpi.attempts, result, node, reason, queueWaitUs, cycleUs, bindUs });
  }
}

const NO_DELETES: ReadonlyArray<{ readonly pod: PodInfo; readonly reason: string }> = [];
