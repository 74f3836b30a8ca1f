// PodTopologySpread PreFilter / Filter / PreFilterExtensions (DoNotSchedule constraints).
// Upstream pkg/scheduler/framework/plugins/podtopologyspread/filtering.go, v1.36: per constraint
// (two constraints on the same topology key are counted separately since v1.33, #129119) the
// matching pods per eligible domain and their global minimum; Filter checks
//   matchNum(node's domain) + selfMatch − minMatch ≤ maxSkew,
// where minMatch is 0 while the number of eligible domains is below minDomains.
import type { NodeInfo } from '../../../cluster/node-info.js';
import type { PodInfo } from '../../../cluster/pod-info.js';
import type { CycleState } from '../../framework/cycle-state.js';
import type { FilterRejections, PreFilterResult } from '../../framework/interfaces.js';
import { Code, Status, type Verdict } from '../../framework/status.js';
import {
  ConstraintError,
  DO_NOT_SCHEDULE,
  ERR_REASON_CONSTRAINTS_NOT_MATCH,
  ERR_REASON_NODE_LABEL_NOT_MATCH,
  matchNodeInclusionPolicies,
  nodeHasAllKeys,
  nodeInclusion,
  podConstraints,
  POD_TOPOLOGY_SPREAD,
  requiredNodeAffinity,
  sortedKeys,
  type SpreadConstraint,
  type SpreadContext,
} from './common.js';
import { histAdd, minKey, type DomainAgg } from './spread-index.js';

export const PRE_FILTER_STATE_KEY = `PreFilter${POD_TOPOLOGY_SPREAD}`;

const NODE_LABEL_NOT_MATCH = new Status(Code.UnschedulableAndUnresolvable, [ERR_REASON_NODE_LABEL_NOT_MATCH], POD_TOPOLOGY_SPREAD);
const CONSTRAINTS_NOT_MATCH = new Status(Code.Unschedulable, [ERR_REASON_CONSTRAINTS_NOT_MATCH], POD_TOPOLOGY_SPREAD);
const NO_STATE = new Status(Code.Error, [`reading "${PRE_FILTER_STATE_KEY}" from cycleState: not found`], POD_TOPOLOGY_SPREAD);
const SKIP = new Status(Code.Skip, [], POD_TOPOLOGY_SPREAD);

/**
 * Upstream preFilterState. `counts[i]` maps each eligible domain of constraint i to its matching
 * pods; it may be the cluster index's live map, so it is copied before the first write
 * (AddPod/RemovePod), after which `hist[i]` keeps `minMatch[i]` exact.
 */
export class PreFilterState {
  private owned: boolean[];
  private hist: (Map<number, number> | null)[];

  constructor(
    readonly constraints: readonly SpreadConstraint[],
    readonly counts: Map<string, number>[],
    readonly minMatch: number[],
    /** 1 when the incoming pod matches constraint i's selector. */
    readonly selfMatch: Int32Array,
    owned: boolean[],
    /** The cluster index's aggregate behind `counts[i]`: while `counts[i]` is its live map,
     * Filter reads the count by the node's domain id instead (the same number). */
    readonly aggs: readonly DomainAgg[],
    /** The cluster's nodes, by NodeInfo.index (a node found there is not a scratch copy). */
    readonly nodes: readonly NodeInfo[],
  ) {
    this.owned = owned;
    this.hist = constraints.map(() => null);
  }

  /** Upstream Clone: an independent copy for what-if evaluation (CycleState.clone calls it). The
   * count maps are shared until either side writes: both copy before their next update. */
  clone(): PreFilterState {
    for (let i = 0; i < this.owned.length; i++) this.owned[i] = false;
    return new PreFilterState(this.constraints, this.counts.slice(), this.minMatch.slice(), this.selfMatch, this.counts.map(() => false), this.aggs, this.nodes);
  }

  /** Moves one pod into (delta 1) or out of (−1) domain `v` of constraint i. */
  update(i: number, v: string, delta: 1 | -1): void {
    let m = this.counts[i] as Map<string, number>;
    let h = this.hist[i] ?? null;
    if (!this.owned[i]) {
      m = new Map(m);
      this.counts[i] = m;
      this.owned[i] = true;
    }
    if (h === null) {
      h = new Map();
      for (const c of m.values()) histAdd(h, c, 1);
      this.hist[i] = h;
    }
    const old = m.get(v);
    const cur = (old ?? 0) + delta;
    m.set(v, cur);
    if (old !== undefined) histAdd(h, old, -1);
    histAdd(h, cur, 1);
    const min = this.minMatch[i] as number;
    if (cur < min) this.minMatch[i] = cur;
    else if (old === min && !h.has(old)) this.minMatch[i] = minKey(h);
  }
}

/** PreFilter: computes the state, or Skips when the pod has no DoNotSchedule constraint. */
export function preFilter(
  ctx: SpreadContext,
  state: CycleState,
  pod: PodInfo,
): { status: Verdict; result?: PreFilterResult } {
  let constraints: SpreadConstraint[];
  try {
    constraints = podConstraints(ctx.index, pod, DO_NOT_SCHEDULE, ctx.defaultConstraints, ctx.defaultSelector);
  } catch (e) {
    if (!(e instanceof ConstraintError)) throw e;
    const what = (pod.pod.spec?.topologySpreadConstraints?.length ?? 0) > 0 ? "obtaining pod's hard topology spread constraints" : 'setting default hard topology spread constraints';
    return { status: new Status(Code.Error, [`get constraints from pod: ${what}: ${e.message}`], POD_TOPOLOGY_SPREAD) };
  }
  if (constraints.length === 0) return { status: SKIP };
  state.write(PRE_FILTER_STATE_KEY, computeState(ctx, pod, constraints));
  return { status: null };
}

/** Upstream calPreFilterState, read from the cluster index: per constraint, the matching pods per
 * domain over the nodes carrying every topology key and passing its node inclusion policies. */
function computeState(ctx: SpreadContext, pod: PodInfo, constraints: SpreadConstraint[]): PreFilterState {
  const n = constraints.length;
  const keys = sortedKeys(constraints);
  const counts: Map<string, number>[] = new Array<Map<string, number>>(n);
  const minMatch: number[] = new Array<number>(n);
  const owned: boolean[] = new Array<boolean>(n);
  const selfMatch = new Int32Array(n);
  const aggs: DomainAgg[] = new Array<DomainAgg>(n);
  for (let i = 0; i < n; i++) {
    const c = constraints[i] as SpreadConstraint;
    selfMatch[i] = c.selector.matches(pod.labels) ? 1 : 0;
    const agg = ctx.index.agg(c.counter, keys, c.topologyKey, nodeInclusion(c, pod.pod));
    counts[i] = agg.counts;
    minMatch[i] = agg.min;
    owned[i] = false;
    aggs[i] = agg;
  }
  return new PreFilterState(constraints, counts, minMatch, selfMatch, owned, aggs, ctx.index.nodes);
}

/** Filter: O(#constraints) array reads for a node of the cluster, no allocation. */
export function filter(state: CycleState, node: NodeInfo): Verdict {
  return filterWith(state.read<PreFilterState>(PRE_FILTER_STATE_KEY), node);
}

/** Filter with the cycle's PreFilter state already read. */
export function filterWith(s: PreFilterState | undefined, node: NodeInfo): Verdict {
  if (s === undefined) return NO_STATE;
  const cs = s.constraints;
  // A node of the cluster (not a scratch copy, whose index may be another node's) has its
  // domains in the index's typed arrays.
  const inCluster = s.nodes[node.index] === node;
  for (let i = 0; i < cs.length; i++) {
    const c = cs[i] as SpreadConstraint;
    const counts = s.counts[i] as Map<string, number>;
    const agg = s.aggs[i] as DomainAgg;
    let matchNum: number;
    if (inCluster && counts === agg.counts) {
      const d = agg.set.domains.nodeDomain[node.index] as number;
      if (d < 0) return NODE_LABEL_NOT_MATCH;
      matchNum = agg.countOfId(d);
    } else {
      const v = node.labels[c.topologyKey];
      if (typeof v !== 'string') return NODE_LABEL_NOT_MATCH;
      matchNum = counts.get(v) ?? 0;
    }
    // minMatchNum: the global minimum, or 0 with fewer eligible domains than minDomains.
    const minMatch = counts.size < c.minDomains ? 0 : (s.minMatch[i] as number);
    // 'existing matching num' + 'if self-match (1 or 0)' - 'global minimum' <= 'maxSkew'
    if (matchNum + (s.selfMatch[i] as number) - minMatch > c.maxSkew) return CONSTRAINTS_NOT_MATCH;
  }
  return null;
}

/**
 * filterWith on `nodes[from]` to `nodes[to - 1]`, writing the rejected ones to `rejected`
 * (FilterPlugin.filterNodes); the same answers. For the common case, one constraint whose
 * counts are the cluster index's own (no AddPod/RemovePod copied them), the bound a node's count
 * must not pass is worked out once for the batch instead of once per node.
 */
export function filterBatch(s: PreFilterState | undefined, nodes: readonly NodeInfo[], from: number, to: number, rejected: FilterRejections): number {
  let r = 0;
  if (s === undefined || s.constraints.length !== 1 || s.counts[0] !== (s.aggs[0] as DomainAgg).counts) {
    for (let i = from; i < to; i++) {
      const v = filterWith(s, nodes[i] as NodeInfo);
      if (v === null) continue;
      rejected.at[r] = i;
      rejected.verdicts[r++] = v;
    }
    return r;
  }
  const c = s.constraints[0] as SpreadConstraint;
  const agg = s.aggs[0] as DomainAgg;
  const minMatch = agg.counts.size < c.minDomains ? 0 : (s.minMatch[0] as number);
  // matchNum + selfMatch - minMatch > maxSkew, with matchNum the only term a node changes.
  const bound = c.maxSkew + minMatch - (s.selfMatch[0] as number);
  const nodeDomain = agg.set.domains.nodeDomain;
  const clusterNodes = s.nodes;
  for (let i = from; i < to; i++) {
    const node = nodes[i] as NodeInfo;
    let v: Verdict = null;
    if (clusterNodes[node.index] !== node) v = filterWith(s, node);
    else {
      const d = nodeDomain[node.index] as number;
      if (d < 0) v = NODE_LABEL_NOT_MATCH;
      else if (agg.countOfId(d) > bound) v = CONSTRAINTS_NOT_MATCH;
    }
    if (v === null) continue;
    rejected.at[r] = i;
    rejected.verdicts[r++] = v;
  }
  return r;
}

/**
 * PreFilterExtensions AddPod (delta 1) / RemovePod (−1): upstream updateWithPod. A missing state
 * (PreFilter skipped: the pod has no hard constraint) is a no-op here, as upstream's framework
 * does not call the extensions of a skipped plugin.
 */
export function updateWithPod(state: CycleState, preemptor: PodInfo, updated: PodInfo, node: NodeInfo, delta: 1 | -1): Verdict {
  const s = state.read<PreFilterState>(PRE_FILTER_STATE_KEY);
  if (s === undefined || updated.namespace !== preemptor.namespace) return null;
  const cs = s.constraints;
  const labels = node.labels;
  if (!nodeHasAllKeys(labels, cs)) return null;
  const affinity = requiredNodeAffinity(preemptor.pod);
  for (let i = 0; i < cs.length; i++) {
    const c = cs[i] as SpreadConstraint;
    if (!c.selector.matches(updated.labels)) continue;
    if (!matchNodeInclusionPolicies(c, preemptor.pod, node, affinity)) continue;
    s.update(i, labels[c.topologyKey] as string, delta);
  }
  return null;
}
