// One scheduling cycle's algorithm: PreFilter → Filter (over a rotating sample of nodes) →
// PreScore → Score/Normalize → select. Upstream pkg/scheduler/schedule_one.go.
import type { RandomStream } from '../engine/random.js';
import type { ClusterState } from '../cluster/cluster-state.js';
import type { NodeInfo } from '../cluster/node-info.js';
import type { PodInfo } from '../cluster/pod-info.js';
import type { CycleState } from './framework/cycle-state.js';
import type { Framework } from './framework/framework.js';
import { MAX_NODE_SCORE, MIN_NODE_SCORE, type ScorePlugin } from './framework/interfaces.js';
import { Code, Status, type Verdict } from './framework/status.js';

// Upstream schedule_one.go constants.
const MIN_FEASIBLE_NODES_TO_FIND = 100;
const MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;

/** How many feasible nodes to look for before scoring (upstream numFeasibleNodesToFind). */
export function numFeasibleNodesToFind(percentageOfNodesToScore: number, numAllNodes: number): number {
  if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND) return numAllNodes;
  let percentage = percentageOfNodesToScore;
  if (percentage === 0) {
    percentage = 50 - Math.trunc(numAllNodes / 125);
    if (percentage < MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND) percentage = MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND;
  }
  const n = Math.trunc((numAllNodes * percentage) / 100);
  return n < MIN_FEASIBLE_NODES_TO_FIND ? MIN_FEASIBLE_NODES_TO_FIND : n;
}

export interface ScheduleResult {
  /** Selected node, or null when the pod is unschedulable or the cycle errored. */
  readonly nodeName: string | null;
  readonly code: Code;
  /** Upstream FitError text for failures ("0/3 nodes are available: ..."), "" on success. */
  readonly reason: string;
  /** Filter evaluations done (drives the cycle cost model). */
  readonly nodesEvaluated: number;
  readonly nodesFeasible: number;
  readonly nodesScored: number;
  /** Plugins that rejected the pod on some node (or in PreFilter). */
  readonly unschedulablePlugins: ReadonlySet<string>;
}

/** Runs scheduling cycles for all profiles; holds the rotating start index, like upstream's Scheduler. */
export class ScheduleAlgorithm {
  private nextStartNodeIndex = 0;

  constructor(
    private readonly cluster: ClusterState,
    private readonly rng: RandomStream,
  ) {}

  schedule(fwk: Framework, state: CycleState, pod: PodInfo): ScheduleResult {
    const nodes = this.cluster.nodes;
    const unschedulablePlugins = new Set<string>();
    if (nodes.length === 0) {
      return fail(Code.Unschedulable, 'no nodes available to schedule pods', 0, unschedulablePlugins);
    }
    // PreFilter.
    let allowed: ReadonlySet<string> | null = null;
    let skipFilter: Set<string> | null = null;
    for (const p of fwk.preFilter) {
      const { status, result } = p.preFilter(state, pod, nodes);
      if (status !== null && status.code === Code.Skip) {
        (skipFilter ??= new Set()).add(p.name);
        continue;
      }
      if (status !== null && status.code !== Code.Success) {
        if (status.code === Code.Error) return fail(Code.Error, status.message, 0, unschedulablePlugins);
        unschedulablePlugins.add(p.name);
        return fail(status.code, `0/${nodes.length} nodes are available: ${status.message}.`, 0, unschedulablePlugins);
      }
      if (result?.nodeNames != null) allowed = intersect(allowed, result.nodeNames);
    }
    const skip: ReadonlySet<string> = skipFilter ?? EMPTY;

    // Filter, from the rotating start index, until enough feasible nodes are found.
    const numAll = nodes.length;
    const toFind = fwk.score.length === 0 ? 1 : numFeasibleNodesToFind(fwk.percentageOfNodesToScore, numAll);
    const feasible: NodeInfo[] = [];
    const failures = new Map<string, Status>();
    let processed = 0;
    for (let i = 0; i < numAll && feasible.length < toFind; i++) {
      const node = nodes[(this.nextStartNodeIndex + i) % numAll] as NodeInfo;
      processed++;
      let v: Verdict;
      if (allowed !== null && !allowed.has(node.name)) {
        v = new Status(Code.UnschedulableAndUnresolvable, ["node(s) didn't satisfy plugin(s) PreFilter result"]);
      } else {
        v = fwk.runFilters(state, pod, node, skip);
      }
      if (v === null) {
        feasible.push(node);
      } else {
        if (v.code === Code.Error) return fail(Code.Error, v.message, processed, unschedulablePlugins);
        failures.set(node.name, v);
        if (v.plugin !== '') unschedulablePlugins.add(v.plugin);
      }
    }
    this.nextStartNodeIndex = (this.nextStartNodeIndex + processed) % numAll;

    if (feasible.length === 0) {
      return fail(Code.Unschedulable, fitErrorMessage(numAll, failures), processed, unschedulablePlugins);
    }
    if (feasible.length === 1) {
      return { nodeName: (feasible[0] as NodeInfo).name, code: Code.Success, reason: '', nodesEvaluated: processed, nodesFeasible: 1, nodesScored: 0, unschedulablePlugins };
    }
    const totals = prioritize(fwk, state, pod, feasible);
    if (totals instanceof Status) return fail(Code.Error, totals.message, processed, unschedulablePlugins);
    return {
      nodeName: this.selectHost(feasible, totals),
      code: Code.Success,
      reason: '',
      nodesEvaluated: processed,
      nodesFeasible: feasible.length,
      nodesScored: feasible.length,
      unschedulablePlugins,
    };
  }

  /** Highest total wins; ties are broken uniformly at random by reservoir sampling (upstream selectHost). */
  private selectHost(nodes: readonly NodeInfo[], totals: Float64Array): string {
    let selected = 0;
    let count = 1;
    for (let i = 1; i < nodes.length; i++) {
      const s = totals[i] as number;
      const best = totals[selected] as number;
      if (s > best) {
        selected = i;
        count = 1;
      } else if (s === best) {
        count++;
        if (this.rng.int(count) === 0) selected = i;
      }
    }
    return (nodes[selected] as NodeInfo).name;
  }
}

/** PreScore, Score, NormalizeScore and weighting; returns each node's total (parallel to nodes). */
export function prioritize(fwk: Framework, state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): Float64Array | Status {
  const totals = new Float64Array(nodes.length);
  if (fwk.score.length === 0) {
    totals.fill(1);
    return totals;
  }
  let skip: Set<string> | null = null;
  for (const p of fwk.preScore) {
    const v = p.preScore(state, pod, nodes);
    if (v === null || v.code === Code.Success) continue;
    if (v.code === Code.Skip) (skip ??= new Set()).add(p.name);
    else return new Status(Code.Error, [`running PreScore plugin ${p.name}: ${v.message}`], p.name);
  }
  const scores = new Float64Array(nodes.length);
  for (let j = 0; j < fwk.score.length; j++) {
    const plugin = fwk.score[j] as ScorePlugin;
    if (skip !== null && skip.has(plugin.name)) continue;
    for (let i = 0; i < nodes.length; i++) scores[i] = plugin.score(state, pod, nodes[i] as NodeInfo);
    if (plugin.normalizeScore !== undefined) {
      const v = plugin.normalizeScore(state, pod, nodes, scores);
      if (v !== null && v.code !== Code.Success) return v;
    }
    const weight = fwk.scoreWeights[j] as number;
    for (let i = 0; i < nodes.length; i++) {
      const s = scores[i] as number;
      if (s > MAX_NODE_SCORE || s < MIN_NODE_SCORE) {
        return Status.error(`plugin "${plugin.name}" returns an invalid score ${s}, it should in the range of [${MIN_NODE_SCORE}, ${MAX_NODE_SCORE}] after normalizing`);
      }
      totals[i] = (totals[i] as number) + s * weight;
    }
  }
  return totals;
}

/** Upstream FitError.Error(): "0/N nodes are available: <count reason, sorted>." */
export function fitErrorMessage(numAllNodes: number, failures: ReadonlyMap<string, Status>): string {
  const histogram = new Map<string, number>();
  for (const s of failures.values()) for (const r of s.reasons) histogram.set(r, (histogram.get(r) ?? 0) + 1);
  const parts = [...histogram].map(([r, n]) => `${n} ${r}`).sort();
  let msg = `0/${numAllNodes} nodes are available`;
  msg += parts.length > 0 ? `: ${parts.join(', ')}.` : '.';
  return msg;
}

function fail(code: Code, reason: string, evaluated: number, plugins: ReadonlySet<string>): ScheduleResult {
  return { nodeName: null, code, reason, nodesEvaluated: evaluated, nodesFeasible: 0, nodesScored: 0, unschedulablePlugins: plugins };
}

function intersect(a: ReadonlySet<string> | null, b: ReadonlySet<string>): ReadonlySet<string> {
  if (a === null) return b;
  return new Set([...a].filter((x) => b.has(x)));
}

const EMPTY: ReadonlySet<string> = new Set();
