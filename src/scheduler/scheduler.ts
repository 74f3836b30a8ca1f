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
import { ScheduleAlgorithm } from './schedule-one.js';
import { DEFAULT_QUEUE_OPTIONS, SchedulingQueue } from './scheduling-queue.js';

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

export interface SchedulerObserver {
  attempt(r: AttemptRecord): void;
}

export class Scheduler {
  readonly frameworks = new Map<string, Framework>();
  private readonly queue: SchedulingQueue;
  private readonly algorithm: ScheduleAlgorithm;
  private busy = false;
  private kickPending = false;
  attempts = 0;

  constructor(
    private readonly sim: Simulation,
    api: ApiServer,
    private readonly cluster: ClusterState,
    profiles: readonly ProfileConfig[],
    registry: ReadonlyMap<string, PluginFactory>,
    rng: RandomStream,
    private readonly observer: SchedulerObserver,
    private readonly cost: CycleCostModel = DEFAULT_CYCLE_COST,
  ) {
    const handle: SchedulerServices = {
      cluster,
      bindPod: (pod, nodeName, done) => {
        api.bindPod(pod, nodeName, done);
      },
      deletePod: (pod, reason) => api.deletePod(pod, reason),
    };
    for (const p of profiles) this.frameworks.set(p.schedulerName, new Framework(p, registry, handle));
    const first = this.frameworks.values().next().value as Framework;
    this.queue = new SchedulingQueue(sim, (a, b) => first.queueSort.less(a, b), () => this.kick(), DEFAULT_QUEUE_OPTIONS, () => this.kick());
    this.algorithm = new ScheduleAlgorithm(cluster, rng);
    api.watch({
      podAdded: (p) => {
        if (p.nodeName === null && this.frameworks.has(p.schedulerName)) this.queue.add(p);
      },
      podDeleted: (p) => {
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
    const result = this.algorithm.schedule(fwk, state, pod);
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
      this.finishCycle(fwk, state, qpi, result.nodeName, result.code, result.reason, queueWaitUs, cycleUs, result.unschedulablePlugins);
      this.kick();
    });
  }

  private finishCycle(
    fwk: Framework,
    state: ReturnType<Framework['newCycleState']>,
    qpi: QueuedPodInfo,
    nodeName: string | null,
    code: Code,
    reason: string,
    queueWaitUs: number,
    cycleUs: number,
    unschedulablePlugins: ReadonlySet<string>,
  ): void {
    const pod = qpi.pod;
    if (pod.deleted) return;
    const node = nodeName === null ? undefined : this.cluster.nodeByName.get(nodeName);
    if (node === undefined) {
      const result: AttemptResult = code === Code.Error || nodeName !== null ? 'error' : 'unschedulable';
      const why = nodeName !== null ? `node ${nodeName} disappeared during the cycle` : reason;
      this.record(qpi, result, '', why, queueWaitUs, cycleUs, -1);
      qpi.unschedulablePlugins = new Set(unschedulablePlugins);
      this.queue.addUnschedulable(qpi, result === 'error');
      return;
    }
    // Assume, reserve, then bind asynchronously.
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

  private record(qpi: QueuedPodInfo, result: AttemptResult, node: string, reason: string, queueWaitUs: number, cycleUs: number, bindUs: number): void {
    this.observer.attempt({ timeUs: this.sim.now, pod: qpi.pod, attempt: qpi.attempts, result, node, reason, queueWaitUs, cycleUs, bindUs });
  }
}
