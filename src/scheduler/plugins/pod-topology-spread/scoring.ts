// PodTopologySpread PreScore / Score / NormalizeScore (ScheduleAnyway constraints).
// Upstream pkg/scheduler/framework/plugins/podtopologyspread/scoring.go, v1.36:
//  - nodes lacking a topology key are ignored (score 0) unless the constraints are the system
//    defaults, in which case a missing key is the domain "" (requireAllTopologies);
//  - weight of constraint i = log(#domains among the filtered nodes + 2), the hostname
//    constraint counting every non-ignored filtered node;
//  - raw score = round(Σ count(domain of node) × weight + (maxSkew − 1)), the hostname count being
//    the matching pods on the node itself;
//  - NormalizeScore: 100 × (max + min − s) / max in integer arithmetic, 100 for all when max = 0.
import type { NodeInfo } from '../../../cluster/node-info.js';
import type { PodInfo } from '../../../cluster/pod-info.js';
import type { CycleState } from '../../framework/cycle-state.js';
import { MAX_NODE_SCORE } from '../../framework/interfaces.js';
import { Code, Status, type Verdict } from '../../framework/status.js';
import { roundHalfAwayFromZero } from '../../../api/go-math.js';
import {
  ConstraintError,
  LABEL_HOSTNAME,
  nodeHasAllKeys,
  nodeInclusion,
  podConstraints,
  POD_TOPOLOGY_SPREAD,
  SCHEDULE_ANYWAY,
  sortedKeys,
  type SpreadConstraint,
  type SpreadContext,
} from './common.js';
import type { DomainAgg, KeyDomains } from './spread-index.js';

export const PRE_SCORE_STATE_KEY = `PreScore${POD_TOPOLOGY_SPREAD}`;

const SKIP = new Status(Code.Skip, [], POD_TOPOLOGY_SPREAD);
const NO_STATE = new Status(Code.Error, [`error reading "${PRE_SCORE_STATE_KEY}" from cycleState: not found`], POD_TOPOLOGY_SPREAD);
const EMPTY_COUNTS: ReadonlyMap<string, number> = new Map();

/** Upstream preScoreState. */
export class PreScoreState {
  constructor(
    readonly constraints: readonly SpreadConstraint[],
    /** Nodes missing a topology key are ignored (upstream IgnoredNodes) when true. */
    readonly requireAllTopologies: boolean,
    /** Upstream TopologyValueToPodCounts: matching pods per domain (unused for hostname constraints). */
    readonly counts: readonly ReadonlyMap<string, number>[],
    /** Upstream TopologyNormalizingWeight. */
    readonly weights: Float64Array,
    /** The cluster index's aggregate behind `counts[i]` (null for hostname constraints). */
    readonly aggs: readonly (DomainAgg | null)[],
    /** Each constraint's node domains: a node of the cluster is read there by its index. */
    readonly domains: readonly KeyDomains[],
    /** The cluster's nodes, by NodeInfo.index (a node found there is not a scratch copy). */
    readonly nodes: readonly NodeInfo[],
  ) {}

  ignores(node: NodeInfo): boolean {
    if (!this.requireAllTopologies) return false;
    if (this.nodes[node.index] === node) return !this.hasAllKeysAt(node.index);
    return !nodeHasAllKeys(node.labels, this.constraints);
  }

  /** Whether the cluster's node at `index` carries every constraint's topology key. */
  hasAllKeysAt(index: number): boolean {
    const ds = this.domains;
    for (let i = 0; i < ds.length; i++) if (((ds[i] as KeyDomains).nodeDomain[index] as number) < 0) return false;
    return true;
  }
}

/** topologyNormalizingWeight: log(size + 2). */
export function topologyNormalizingWeight(size: number): number {
  return Math.log(size + 2);
}

/** Whether preScore would read the scored nodes: the pod has soft constraints (its own or the
 * system defaults; constraints that fail to build end PreScore in an Error before). */
export function hasSoftConstraints(ctx: SpreadContext, pod: PodInfo): boolean {
  if (ctx.index.nodes.length === 0) return false;
  try {
    return podConstraints(ctx.index, pod, SCHEDULE_ANYWAY, ctx.defaultConstraints, ctx.defaultSelector).length > 0;
  } catch (e) {
    if (!(e instanceof ConstraintError)) throw e;
    return false;
  }
}

export function preScore(ctx: SpreadContext, state: CycleState, pod: PodInfo, filteredNodes: readonly NodeInfo[]): Verdict {
  const allNodes = ctx.index.nodes;
  if (allNodes.length === 0) return SKIP;
  const own = pod.pod.spec?.topologySpreadConstraints;
  const hasOwn = own !== undefined && own !== null && own.length > 0;
  // Only require all topology labels with non-system-default rules, so that nodes without a
  // zone label still get hostname spreading.
  const requireAll = hasOwn || !ctx.systemDefaulted;
  let constraints: SpreadConstraint[];
  try {
    constraints = podConstraints(ctx.index, pod, SCHEDULE_ANYWAY, ctx.defaultConstraints, ctx.defaultSelector);
  } catch (e) {
    if (!(e instanceof ConstraintError)) throw e;
    const what = hasOwn ? "obtaining pod's soft topology spread constraints" : 'setting default soft topology spread constraints';
    return new Status(Code.Error, [`calculating preScoreState: ${what}: ${e.message}`], POD_TOPOLOGY_SPREAD);
  }
  if (constraints.length === 0) return SKIP;

  const n = constraints.length;
  // The state the pods of this constraint list had last: the pods of one controller share the
  // list, and most cycles find the same aggregates and weights again, so the state is reused
  // rather than built (its arrays and sets were a kilobyte per pod of a churn).
  const prev = lastStates.get(constraints);
  let same = prev !== undefined && prev.requireAllTopologies === requireAll && prev.nodes === allNodes;
  if (scratchAggs.length < n) growScratch(n);
  // Matching pods per domain over all eligible nodes (processAllNode), from the cluster index.
  // Upstream keeps only the domains of candidate nodes; Score only looks those up.
  let keys: string[] | null = null;
  let hostname = false;
  for (let i = 0; i < n; i++) {
    const c = constraints[i] as SpreadConstraint;
    const domains = ctx.index.domainsOf(c.topologyKey);
    scratchDomains[i] = domains;
    if (same && (prev as PreScoreState).domains[i] !== domains) same = false;
    if (c.topologyKey === LABEL_HOSTNAME) {
      // Per-node counts are taken in Score; the weight counts the candidates.
      scratchAggs[i] = null;
      hostname = true;
      continue;
    }
    const inclusion = nodeInclusion(c, pod.pod);
    const before = same ? ((prev as PreScoreState).aggs[i] as DomainAgg | null) : null;
    let agg: DomainAgg;
    if (before !== null && inclusion === null && before.set.inclusion === null && ctx.index.stillHolds(before)) agg = before;
    else agg = ctx.index.agg(c.counter, (keys ??= requireAll ? sortedKeys(constraints) : NO_KEYS), c.topologyKey, inclusion);
    if (agg !== before) same = false;
    scratchAggs[i] = agg;
    scratchBounds[i] = inclusion === null ? agg.counts.size : Infinity;
  }
  // Domains among the candidate nodes (initPreScoreState), for the weights. With no inclusion
  // filter every candidate's domain is one of the aggregate's, so once all of those are seen the
  // remaining candidates cannot add one.
  let ignored = 0;
  let open = 0;
  for (let i = 0; i < n; i++) {
    if (scratchAggs[i] === null) continue;
    (scratchSets[i] as Set<string>).clear();
    if ((scratchBounds[i] as number) > 0) open++;
  }
  const countIgnored = requireAll && hostname;
  for (let k = 0; k < filteredNodes.length && (open > 0 || countIgnored); k++) {
    const labels = (filteredNodes[k] as NodeInfo).labels;
    if (requireAll && !nodeHasAllKeys(labels, constraints)) {
      ignored++;
      continue;
    }
    for (let i = 0; i < n; i++) {
      if (scratchAggs[i] === null) continue;
      const set = scratchSets[i] as Set<string>;
      const bound = scratchBounds[i] as number;
      if (set.size >= bound) continue;
      const v = labels[(constraints[i] as SpreadConstraint).topologyKey];
      set.add(typeof v === 'string' ? v : '');
      if (set.size >= bound) open--;
    }
  }
  for (let i = 0; i < n; i++) {
    const w = topologyNormalizingWeight(scratchAggs[i] === null ? filteredNodes.length - ignored : (scratchSets[i] as Set<string>).size);
    scratchWeights[i] = w;
    if (same && (prev as PreScoreState).weights[i] !== w) same = false;
  }
  if (same) {
    state.write(PRE_SCORE_STATE_KEY, prev);
    return null;
  }
  const counts: ReadonlyMap<string, number>[] = new Array<ReadonlyMap<string, number>>(n);
  const aggs: (DomainAgg | null)[] = new Array<DomainAgg | null>(n);
  const domains: KeyDomains[] = new Array<KeyDomains>(n);
  const weights = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const agg = scratchAggs[i] as DomainAgg | null;
    aggs[i] = agg;
    counts[i] = agg === null ? EMPTY_COUNTS : agg.counts;
    domains[i] = scratchDomains[i] as KeyDomains;
    weights[i] = scratchWeights[i] as number;
  }
  const built = new PreScoreState(constraints, requireAll, counts, weights, aggs, domains, allNodes);
  lastStates.set(constraints, built);
  state.write(PRE_SCORE_STATE_KEY, built);
  return null;
}

/** The PreScoreState last built for each constraint list (see preScore). A state is never
 * changed once built, so cycles may share it. */
const lastStates = new WeakMap<readonly SpreadConstraint[], PreScoreState>();
const NO_KEYS: string[] = [];
/** preScore's per-constraint scratch (aggregates, their domain bounds, candidate domains seen,
 * weights, node domains), grown to the longest constraint list seen. */
const scratchAggs: (DomainAgg | null)[] = [];
const scratchBounds: number[] = [];
const scratchSets: Set<string>[] = [];
const scratchWeights: number[] = [];
const scratchDomains: (KeyDomains | null)[] = [];

function growScratch(n: number): void {
  while (scratchAggs.length < n) {
    scratchAggs.push(null);
    scratchBounds.push(0);
    scratchSets.push(new Set());
    scratchWeights.push(0);
    scratchDomains.push(null);
  }
}

/** Score: the weighted matching count of the node's domains (lower is better, reversed later). */
export function score(state: CycleState, node: NodeInfo): number {
  const s = state.read<PreScoreState>(PRE_SCORE_STATE_KEY);
  return s === undefined ? 0 : nodeScore(s, node);
}

/** scoreNodes' per-node case: 0 a node of the cluster, scored there; 1 another node (a scratch
 * copy), scored by nodeScore; 2 a node of the cluster ignored for a missing topology key. */
let scoreCases = new Uint8Array(1024);

/** score for every node, the cycle state read once. The nodes of the cluster are scored
 * constraint by constraint, each constraint's arrays looked up once rather than once per node
 * (nodeScore node by node was a quarter of a churn run's scheduling instructions); each node's
 * terms are added in constraint order, as nodeScore adds them, so the sums are the same. The
 * loops over the nodes call nothing: a call V8 does not inline, even on a path not taken, made
 * it check every array's shape again on every node. */
export function scoreNodes(state: CycleState, nodes: readonly NodeInfo[], out: Float64Array): void {
  const s = state.read<PreScoreState>(PRE_SCORE_STATE_KEY);
  const n = nodes.length;
  if (s !== undefined && s.constraints.length === 2) {
    scoreNodesOfTwo(s, nodes, n, out);
    return;
  }
  out.fill(0, 0, n);
  if (s === undefined) return;
  if (scoreCases.length < n) scoreCases = new Uint8Array(Math.max(n, 2 * scoreCases.length));
  const cases = scoreCases;
  const all = s.nodes;
  const requireAll = s.requireAllTopologies;
  let others = 0;
  for (let j = 0; j < n; j++) {
    const index = (nodes[j] as NodeInfo).index;
    if (all[index] !== nodes[j]) {
      cases[j] = 1;
      others++;
    } else {
      cases[j] = requireAll && !s.hasAllKeysAt(index) ? 2 : 0;
    }
  }
  const cs = s.constraints;
  for (let i = 0; i < cs.length; i++) {
    const c = cs[i] as SpreadConstraint;
    const agg = s.aggs[i] as DomainAgg | null;
    // A hostname constraint counts the node's own pods, an other the pods of the node's domain.
    const counts = agg === null ? c.counter.perNode : agg.byId;
    addConstraintTerms(nodes, n, cases, (s.domains[i] as KeyDomains).nodeDomain, counts, agg === null, s.weights[i] as number, c.maxSkew - 1, out);
  }
  for (let j = 0; j < n; j++) {
    // int64(math.Round(score)): halves away from zero; an ignored node scores 0.
    const k = cases[j];
    if (k !== 1) out[j] = k === 0 ? roundHalfAwayFromZero(out[j] as number) : 0;
  }
  if (others > 0) for (let j = 0; j < n; j++) if (cases[j] === 1) out[j] = nodeScore(s, nodes[j] as NodeInfo);
}

/** scoreNodes for two constraints (the system defaults: zone and hostname), in one pass over
 * the nodes with both constraints' arrays in locals: the same sums, added in the same order,
 * as the pass per constraint gives (addConstraintTerms' term, written out per constraint), in
 * about half its time (a pass per constraint re-read every node and score). Nodes that are not
 * the cluster's are scored after, by nodeScore. */
function scoreNodesOfTwo(s: PreScoreState, nodes: readonly NodeInfo[], n: number, out: Float64Array): void {
  const all = s.nodes;
  const requireAll = s.requireAllTopologies;
  const c0 = s.constraints[0] as SpreadConstraint;
  const c1 = s.constraints[1] as SpreadConstraint;
  const a0 = s.aggs[0] as DomainAgg | null;
  const a1 = s.aggs[1] as DomainAgg | null;
  // A hostname constraint counts the node's own pods, an other the pods of the node's domain.
  const byNode0 = a0 === null;
  const byNode1 = a1 === null;
  const counts0 = a0 === null ? c0.counter.perNode : a0.byId;
  const counts1 = a1 === null ? c1.counter.perNode : a1.byId;
  const size0 = counts0.length;
  const size1 = counts1.length;
  const dom0 = (s.domains[0] as KeyDomains).nodeDomain;
  const dom1 = (s.domains[1] as KeyDomains).nodeDomain;
  const w0 = s.weights[0] as number;
  const w1 = s.weights[1] as number;
  const skew0 = c0.maxSkew - 1;
  const skew1 = c1.maxSkew - 1;
  let others = 0;
  for (let j = 0; j < n; j++) {
    const node = nodes[j] as NodeInfo;
    const index = node.index;
    if (all[index] !== node) {
      others++;
      continue;
    }
    const d0 = dom0[index] as number;
    const d1 = dom1[index] as number;
    // A node lacking a key: ignored (0) when every key is required, else without that term.
    if (requireAll && (d0 < 0 || d1 < 0)) {
      out[j] = 0;
      continue;
    }
    let total = 0;
    if (d0 >= 0) {
      const at = byNode0 ? index : d0;
      total += (at < size0 ? (counts0[at] as number) : 0) * w0 + skew0;
    }
    if (d1 >= 0) {
      const at = byNode1 ? index : d1;
      total += (at < size1 ? (counts1[at] as number) : 0) * w1 + skew1;
    }
    // int64(math.Round(score)), halves away from zero: Math.round, as the total is not negative
    // (counts, weights of at least log 2, maxSkew − 1 ≥ 0).
    out[j] = Math.round(total);
  }
  if (others > 0) {
    for (let j = 0; j < n; j++) {
      const node = nodes[j] as NodeInfo;
      if (all[node.index] !== node) out[j] = nodeScore(s, node);
    }
  }
}

/** One constraint's term, cnt × weight + (maxSkew − 1) (upstream scoreForCount), added to each
 * cluster node's score (case 0) that has the constraint's topology key. `counts`: matching pods
 * by node index (`byNode`) or by domain id. */
function addConstraintTerms(nodes: readonly NodeInfo[], n: number, cases: Uint8Array, nodeDomain: Int32Array, counts: Int32Array, byNode: boolean, weight: number, skew: number, out: Float64Array): void {
  const size = counts.length;
  for (let j = 0; j < n; j++) {
    if (cases[j] !== 0) continue;
    const index = (nodes[j] as NodeInfo).index;
    const d = nodeDomain[index] as number;
    if (d < 0) continue;
    const at = byNode ? index : d;
    const cnt = at < size ? (counts[at] as number) : 0;
    out[j] = (out[j] as number) + (cnt * weight + skew);
  }
}

/** One node's score from its labels: Score (explain) and scoreNodes' scratch nodes. The
 * cluster's own nodes are scored by scoreNodes from the index's arrays, with the same counts. */
function nodeScore(s: PreScoreState, node: NodeInfo): number {
  const cs = s.constraints;
  const labels = node.labels;
  if (s.requireAllTopologies && !nodeHasAllKeys(labels, cs)) return 0;
  let total = 0;
  for (let i = 0; i < cs.length; i++) {
    const c = cs[i] as SpreadConstraint;
    const v = labels[c.topologyKey];
    if (typeof v !== 'string') continue;
    const cnt = c.topologyKey === LABEL_HOSTNAME ? c.counter.countOn(node) : ((s.counts[i] as ReadonlyMap<string, number>).get(v) ?? 0);
    // scoreForCount: cnt × weight + (maxSkew − 1).
    total += cnt * (s.weights[i] as number) + (c.maxSkew - 1);
  }
  // int64(math.Round(score)): halves away from zero.
  return roundHalfAwayFromZero(total);
}

/** NormalizeScore with upstream's integer arithmetic; ignored nodes score 0. */
export function normalizeScore(state: CycleState, nodes: readonly NodeInfo[], scores: Float64Array): Verdict {
  const s = state.read<PreScoreState>(PRE_SCORE_STATE_KEY);
  if (s === undefined) return NO_STATE;
  let minScore = Number.MAX_SAFE_INTEGER;
  let maxScore = 0;
  if (!s.requireAllTopologies) {
    // No node is ignored (the system defaults): the same passes without asking each node.
    const n = nodes.length;
    for (let i = 0; i < n; i++) {
      const sc = scores[i] as number;
      if (sc < minScore) minScore = sc;
      if (sc > maxScore) maxScore = sc;
    }
    if (maxScore === 0) scores.fill(MAX_NODE_SCORE, 0, n);
    else for (let i = 0; i < n; i++) scores[i] = Math.trunc((MAX_NODE_SCORE * (maxScore + minScore - (scores[i] as number))) / maxScore);
    return null;
  }
  for (let i = 0; i < nodes.length; i++) {
    if (s.ignores(nodes[i] as NodeInfo)) continue;
    const sc = scores[i] as number;
    if (sc < minScore) minScore = sc;
    if (sc > maxScore) maxScore = sc;
  }
  for (let i = 0; i < nodes.length; i++) {
    if (s.ignores(nodes[i] as NodeInfo)) {
      scores[i] = 0;
      continue;
    }
    if (maxScore === 0) {
      scores[i] = MAX_NODE_SCORE;
      continue;
    }
    scores[i] = Math.trunc((MAX_NODE_SCORE * (maxScore + minScore - (scores[i] as number))) / maxScore);
  }
  return null;
}
