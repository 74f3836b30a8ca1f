// The plugin interfaces, one per extension point, in upstream order
// (pkg/scheduler/framework/interface.go). A plugin implements any subset; the framework finds
// the extension points by the methods present, not by a switch on names.
import type { ClusterState } from '../../cluster/cluster-state.js';
import type { NodeInfo } from '../../cluster/node-info.js';
import type { PodInfo } from '../../cluster/pod-info.js';
import type { CycleState } from './cycle-state.js';
import type { Verdict } from './status.js';
import type { Framework } from './framework.js';

export const MAX_NODE_SCORE = 100;
export const MIN_NODE_SCORE = 0;

/** Set (true) on a plugin of scheduler.pluginModules as the framework sees it (plugin-modules.ts
 * guardPlugin): the framework checks what such a plugin returns where it trusts built-in ones. */
export const FROM_PLUGIN_MODULE: unique symbol = Symbol('ksim.fromPluginModule');

export interface Plugin {
  readonly name: string;
  /** Extension points (framework.ts ExtensionPoint names) at which the plugin works only
   * together: a profile enabling it at some of them but not all is refused, with `why`. */
  readonly together?: { readonly points: readonly string[]; readonly why: string };
}

/** A pod waiting in the scheduling queue. */
export interface QueuedPodInfo {
  readonly pod: PodInfo;
  /** When the pod last entered the queue (µs); PrioritySort orders ties by it. */
  timestampUs: number;
  /** When the pod first entered the queue (µs). */
  readonly initialTimestampUs: number;
  attempts: number;
  /** Plugins that rejected it in the last attempt (drive requeueing); replaced, not changed. */
  unschedulablePlugins: ReadonlySet<string>;
}

export interface PreEnqueuePlugin extends Plugin {
  preEnqueue(pod: PodInfo): Verdict;
}

export interface QueueSortPlugin extends Plugin {
  less(a: QueuedPodInfo, b: QueuedPodInfo): boolean;
}

export interface PreFilterResult {
  /** Only these nodes can pass (null: all). */
  readonly nodeNames: ReadonlySet<string> | null;
}

export interface PreFilterPlugin extends Plugin {
  preFilter(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): { status: Verdict; result?: PreFilterResult };
  /** PreFilterExtensions (upstream AddPod/RemovePod): update what PreFilter stored in `state`
   * as if `podToAdd` were placed on / `podToRemove` removed from `node`. Preemption and the
   * nominated-pods check evaluate "what if" with them. */
  addPod?(state: CycleState, podToSchedule: PodInfo, podToAdd: PodInfo, node: NodeInfo): Verdict;
  removePod?(state: CycleState, podToSchedule: PodInfo, podToRemove: PodInfo, node: NodeInfo): Verdict;
}

export interface FilterPlugin extends Plugin {
  filter(state: CycleState, pod: PodInfo, node: NodeInfo): Verdict;
  /** Optional, for speed: Filter on `nodes[from]` to `nodes[to - 1]` at once (read no other
   * entry of `nodes`). Writes the nodes it rejects, in order, to `rejected`: the i-th rejected
   * node's index in `nodes` to `rejected.at[i]` and what `filter` gives for it to
   * `rejected.verdicts[i]`; returns how many (nodes it passes are not written). When every
   * Filter plugin a cycle runs has it, the framework filters nodes in batches, a plugin at a
   * time over the nodes the plugins before it passed, instead of node by node (ksim's in-tree
   * Filter plugins have it; custom plugins need not). Like `filter`, it must change nothing: a
   * batch can reach past the node where an Error ends the search. Each in-tree plugin has a loop
   * of its own, even where it only calls `filter`: one loop shared by several plugin classes
   * would see them all at that call, and V8 would look the method up for every node. */
  filterNodes?(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[], from: number, to: number, rejected: FilterRejections): number;
  /** Optional, for speed, for a plugin whose verdict on a node depends only on the node (its
   * labels, taints, cordon and books: whatever changes them changes NodeInfo.generation) and on
   * a class of the pod (pods of one class get the same verdict on every node): the pod's class,
   * a non-negative integer the plugin never gives another class, or -1 when this pod's verdicts
   * are not such. When every filter a cycle runs gives a class, the scheduler keeps which nodes
   * pass across cycles (FitIndex) and filters only the nodes that changed. */
  nodeLocalFilterClass?(pod: PodInfo): number;
}

/** Where FilterPlugin.filterNodes writes the nodes it rejects (room for every node of the batch). */
export interface FilterRejections {
  /** Indexes in the plugin's `nodes`, increasing. */
  readonly at: Int32Array;
  /** What `filter` gives for each (a non-null Verdict; a Success one counts as a pass). */
  readonly verdicts: Verdict[];
}

export interface PostFilterResult {
  readonly nominatedNodeName: string | null;
}

export interface PostFilterPlugin extends Plugin {
  postFilter(state: CycleState, pod: PodInfo, nodeStatuses: ReadonlyMap<string, Verdict>): { status: Verdict; result?: PostFilterResult };
}

export interface PreScorePlugin extends Plugin {
  preScore(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): Verdict;
  /** Optional, for speed: true when, for `pod` in this cycle, preScore (and constantScore, for
   * a Score plugin with one) give the same whatever non-empty list of the cluster's nodes they
   * get. When every such plugin of a cycle says so and the scheduler knows the pick without
   * the feasible nodes (FitIndex), it passes the cluster's node list instead of listing them. */
  scoredNodesIgnored?(state: CycleState, pod: PodInfo): boolean;
}

/**
 * Scores are integers, as upstream's int64 (framework/interface.go: Score returns int64,
 * NormalizeScore rewrites a NodeScoreList of int64): where upstream divides, ksim's in-tree
 * plugins truncate toward zero as Go's integer division does (Math.trunc), and where upstream
 * rounds a float (math.Round) they round half away from zero (roundHalfAwayFromZero). The
 * framework refuses anything else: a Score that is not a safe integer, or a score after
 * NormalizeScore (the raw one for plugins without it) that is not an integer in
 * [MIN_NODE_SCORE, MAX_NODE_SCORE], ends the cycle with an Error naming the plugin.
 */
export interface ScorePlugin extends Plugin {
  /** Raw score of one feasible node: an integer (upstream int64). */
  score(state: CycleState, pod: PodInfo, node: NodeInfo): number;
  /** Optional, for speed: the raw scores of all `nodes` at once into `out` (parallel to
   * `nodes`), each exactly what `score` gives for that node. The framework calls it instead of
   * `score` when present: one call per cycle instead of one per node, so that the per-node loop
   * runs inside the plugin (ksim's in-tree Score plugins have it; custom plugins need not). */
  scoreNodes?(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[], out: Float64Array): void;
  /** Optional NormalizeScore: rewrites `scores` (parallel to `nodes`) in place into integers in
   * [0, 100]. */
  normalizeScore?(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[], scores: Float64Array): Verdict;
  /** Optional, for speed, for a plugin without normalizeScore whose score of a node depends only
   * on the node's books (whatever changes them changes NodeInfo.generation) and on a class of the
   * pod (pods of one class score every node alike): the pod's class, a non-negative integer the
   * plugin never gives another class, or -1 when this pod's score is not such. While two or more
   * of a cycle's plugins give a class, the framework keeps their weighted sum per node and
   * reuses it as long as the node's generation and the classes stay the same, calling `score`
   * only for the nodes that changed. */
  nodeLocalClass?(pod: PodInfo): number;
  /** Optional, for speed: the final score (after normalizeScore, if any) every one of `nodes`
   * gets, when the plugin knows it to be one and the same without scoring them (after PreScore),
   * else -1. The framework then adds its weighted value to every total instead of calling
   * scoreNodes and normalizeScore. */
  constantScore?(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): number;
  /** Optional, for speed: true when, for `pod` in this cycle, preScore (and constantScore, for
   * a Score plugin with one) give the same whatever non-empty list of the cluster's nodes they
   * get. When every such plugin of a cycle says so and the scheduler knows the pick without
   * the feasible nodes (FitIndex), it passes the cluster's node list instead of listing them. */
  scoredNodesIgnored?(state: CycleState, pod: PodInfo): boolean;
}

/** Sees what plugins return in each scheduling cycle, before the framework judges it (the
 * invariant checker attaches one to every profile with Framework.audit). */
export interface SchedulingAudit {
  /** One Score plugin's scores of the scored nodes: `raw`, its Score outputs before its
   * NormalizeScore (only for a plugin that has one); else its final scores, after its
   * NormalizeScore or the raw ones when it has none. `scores` is only valid during the call. */
  scores(plugin: string, pod: PodInfo, nodes: readonly NodeInfo[], scores: ArrayLike<number>, raw: boolean): void;
  /** A Score plugin returned a score that is not a number at all (a string, null) for `node`:
   * `message` says what (the cycle then ends in an Error). */
  notANumber(plugin: string, pod: PodInfo, node: NodeInfo, message: string): void;
  /** A scheduling cycle ended in an Error that `plugin` returned (PreFilter, Filter, PreScore,
   * Score, NormalizeScore, or an invalid score). */
  pluginError(plugin: string, pod: PodInfo, message: string): void;
  /** A plugin of scheduler.pluginModules returned, at any extension point, a value that is not
   * the verdict the point expects (null or a Status, or { status, ... }), for `pod` and `node`
   * (null where the point has none): `message` names the plugin, the point, the value and what
   * was expected. Heard before the value becomes an Error status, which it does unaudited. */
  badVerdict(plugin: string, pod: PodInfo | null, node: string | null, message: string): void;
}

export interface ReservePlugin extends Plugin {
  reserve(state: CycleState, pod: PodInfo, nodeName: string): Verdict;
  unreserve(state: CycleState, pod: PodInfo, nodeName: string): void;
}

export interface PermitPlugin extends Plugin {
  permit(state: CycleState, pod: PodInfo, nodeName: string): { status: Verdict; waitUs?: number };
}

export interface PreBindPlugin extends Plugin {
  preBind(state: CycleState, pod: PodInfo, nodeName: string): Verdict;
}

/** Binding is asynchronous: the plugin calls `done` when the API write has committed. */
export interface BindPlugin extends Plugin {
  bind(state: CycleState, pod: PodInfo, nodeName: string, done: (v: Verdict) => void): Verdict;
}

export interface PostBindPlugin extends Plugin {
  postBind(state: CycleState, pod: PodInfo, nodeName: string): void;
}

/** What the scheduler gives every profile: cluster access and API writes. */
export interface SchedulerServices {
  readonly cluster: ClusterState;
  /** Writes a binding through the API server model; `done` runs when it commits. */
  bindPod(pod: PodInfo, nodeName: string, done: (ok: boolean, reason: string) => void): void;
  /** Deletes a pod through the API server model (preemption victims). */
  deletePod(pod: PodInfo, reason: string): void;
}

/** What plugins may use (upstream framework.Handle): the services plus the profile they run in,
 * so PostFilter plugins can re-run its filters. */
export interface FrameworkHandle extends SchedulerServices {
  readonly framework: Framework;
}

/** What a PluginFactory returns: a plugin with any of the extension points' methods, typed, so
 * that an object literal typed as AnyPlugin where it is written (`const p: AnyPlugin = {...}`, a
 * factory declaring `(): AnyPlugin => ({...})`, `{...} satisfies AnyPlugin`) naming one that does
 * not exist (`Score`, `fliter`) is a type error. TypeScript does not check the literal an arrow
 * returns when the arrow is typed only as a PluginFactory (`const f: PluginFactory = () =>
 * ({...})`): the framework refuses such a plugin when it builds the profile (lookalikeMethod). */
export type AnyPlugin = Plugin &
  Partial<Omit<PreEnqueuePlugin & QueueSortPlugin & PreFilterPlugin & FilterPlugin & PostFilterPlugin & PreScorePlugin & ScorePlugin & ReservePlugin & PermitPlugin & PreBindPlugin & BindPlugin & PostBindPlugin, 'name'>>;

export type PluginFactory = (args: unknown, handle: FrameworkHandle) => AnyPlugin;

export function implementsMethod<T extends Plugin>(p: Plugin, method: keyof T): p is T {
  return typeof (p as unknown as Record<string, unknown>)[method as string] === 'function';
}
