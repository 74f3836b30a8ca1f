// One scheduling profile: its plugins instantiated once and slotted into every extension point
// they implement (upstream framework/runtime/framework.go). Runs the points in upstream order.
import type { NodeInfo } from '../../cluster/node-info.js';
import type { PodInfo } from '../../cluster/pod-info.js';
import { CycleState } from './cycle-state.js';
import {
  implementsMethod,
  type BindPlugin,
  type FilterPlugin,
  type FrameworkHandle,
  type SchedulerServices,
  type Plugin,
  type PluginFactory,
  type PostBindPlugin,
  type PostFilterPlugin,
  type PreEnqueuePlugin,
  type PreFilterPlugin,
  type PreScorePlugin,
  type QueueSortPlugin,
  type ReservePlugin,
  type ScorePlugin,
} from './interfaces.js';
import { Code, type Verdict } from './status.js';

export interface PluginRef {
  readonly name: string;
  /** Score weight; ignored for plugins without Score. */
  readonly weight: number;
}

export interface ProfileConfig {
  readonly schedulerName: string;
  /** Plugins enabled at every extension point they implement, in order. */
  readonly plugins: readonly PluginRef[];
  /** Plugin name → raw args (pluginConfig). */
  readonly pluginArgs: ReadonlyMap<string, unknown>;
  /** 0 = adaptive (upstream default). */
  readonly percentageOfNodesToScore: number;
}

export class Framework {
  readonly profileName: string;
  readonly percentageOfNodesToScore: number;
  readonly queueSort: QueueSortPlugin;
  readonly preEnqueue: PreEnqueuePlugin[] = [];
  readonly preFilter: PreFilterPlugin[] = [];
  readonly filter: FilterPlugin[] = [];
  readonly postFilter: PostFilterPlugin[] = [];
  readonly preScore: PreScorePlugin[] = [];
  readonly score: ScorePlugin[] = [];
  readonly scoreWeights: number[] = [];
  readonly reserve: ReservePlugin[] = [];
  readonly bind: BindPlugin[] = [];
  readonly postBind: PostBindPlugin[] = [];

  readonly handle: FrameworkHandle;

  constructor(config: ProfileConfig, registry: ReadonlyMap<string, PluginFactory>, services: SchedulerServices) {
    this.profileName = config.schedulerName;
    const handle: FrameworkHandle = { ...bindServices(services), framework: this };
    this.handle = handle;
    this.percentageOfNodesToScore = config.percentageOfNodesToScore;
    let queueSort: QueueSortPlugin | null = null;
    for (const ref of config.plugins) {
      const factory = registry.get(ref.name);
      if (factory === undefined) throw new Error(`plugin ${ref.name} is not registered`);
      const p: Plugin = factory(config.pluginArgs.get(ref.name), handle);
      if (implementsMethod<QueueSortPlugin>(p, 'less')) queueSort ??= p;
      if (implementsMethod<PreEnqueuePlugin>(p, 'preEnqueue')) this.preEnqueue.push(p);
      if (implementsMethod<PreFilterPlugin>(p, 'preFilter')) this.preFilter.push(p);
      if (implementsMethod<FilterPlugin>(p, 'filter')) this.filter.push(p);
      if (implementsMethod<PostFilterPlugin>(p, 'postFilter')) this.postFilter.push(p);
      if (implementsMethod<PreScorePlugin>(p, 'preScore')) this.preScore.push(p);
      if (implementsMethod<ScorePlugin>(p, 'score')) {
        this.score.push(p);
        this.scoreWeights.push(ref.weight);
      }
      if (implementsMethod<ReservePlugin>(p, 'reserve')) this.reserve.push(p);
      if (implementsMethod<BindPlugin>(p, 'bind')) this.bind.push(p);
      if (implementsMethod<PostBindPlugin>(p, 'postBind')) this.postBind.push(p);
    }
    if (queueSort === null) throw new Error(`profile ${config.schedulerName} has no QueueSort plugin`);
    if (this.bind.length === 0) throw new Error(`profile ${config.schedulerName} has no Bind plugin`);
    this.queueSort = queueSort;
  }

  /** Runs every PreFilter plugin's AddPod extension (upstream RunPreFilterExtensionAddPod). */
  runPreFilterAddPod(state: CycleState, pod: PodInfo, podToAdd: PodInfo, node: NodeInfo): Verdict {
    for (const p of this.preFilter) {
      if (p.addPod === undefined) continue;
      const v = p.addPod(state, pod, podToAdd, node);
      if (v !== null && v.code !== Code.Success) return v.withPlugin(p.name);
    }
    return null;
  }

  /** Runs every PreFilter plugin's RemovePod extension (upstream RunPreFilterExtensionRemovePod). */
  runPreFilterRemovePod(state: CycleState, pod: PodInfo, podToRemove: PodInfo, node: NodeInfo): Verdict {
    for (const p of this.preFilter) {
      if (p.removePod === undefined) continue;
      const v = p.removePod(state, pod, podToRemove, node);
      if (v !== null && v.code !== Code.Success) return v.withPlugin(p.name);
    }
    return null;
  }

  newCycleState(): CycleState {
    return new CycleState();
  }

  /** Runs every Filter plugin on one node; the first rejection wins (upstream RunFilterPlugins). */
  runFilters(state: CycleState, pod: PodInfo, node: NodeInfo, skip: ReadonlySet<string>): Verdict {
    const filters = this.filter;
    for (let i = 0; i < filters.length; i++) {
      const f = filters[i] as FilterPlugin;
      if (skip.size > 0 && skip.has(f.name)) continue;
      const v = f.filter(state, pod, node);
      if (v !== null && v.code !== Code.Success) return v.withPlugin(f.name);
    }
    return null;
  }
}

function bindServices(s: SchedulerServices): SchedulerServices {
  return {
    cluster: s.cluster,
    bindPod: (pod, nodeName, done) => s.bindPod(pod, nodeName, done),
    deletePod: (pod, reason) => s.deletePod(pod, reason),
  };
}
