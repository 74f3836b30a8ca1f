// One scheduling cycle's algorithm: PreFilter → Filter (over a rotating sample of nodes) →
// PreScore → Score/Normalize → select. Upstream pkg/scheduler/schedule_one.go.
import type { RandomStream } from '../engine/random.js';
import type { ClusterState } from '../cluster/cluster-state.js';
import type { BooksOrder, NodeInfo } from '../cluster/node-info.js';
import type { PodInfo } from '../cluster/pod-info.js';
import { CycleState } from './framework/cycle-state.js';
import type { Framework } from './framework/framework.js';
import { preFilterErrorMessage } from './framework/framework.js';
import {
  FROM_PLUGIN_MODULE,
  MAX_NODE_SCORE,
  MIN_NODE_SCORE,
  type FilterPlugin,
  type PluginFactory,
  type PostFilterResult,
  type PreFilterPlugin,
  type PreScorePlugin,
  type ScorePlugin,
} from './framework/interfaces.js';
import { Code, Status, type Verdict } from './framework/status.js';
import { NodeToStatus, reasonCounts } from './framework/node-to-status.js';
import { NodeScoreCache } from './framework/node-score-cache.js';
import { FitIndex, type FitIndexPolicy, type FitProbe, type FitRange } from './framework/fit-index.js';
import { TupleNumbers } from './framework/class-numbers.js';

/** The rejecting plugins of a cycle no plugin rejected in. */
const NO_PLUGINS: ReadonlySet<string> = new Set();

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
  /** The plugin whose Error ended the cycle (code Error); absent otherwise. */
  readonly errorPlugin?: string;
  /** Upstream NominatingInfo of a failed cycle: "" clears pod.nominatedNodeName, a node name
   * sets it (preemption nominated that node), absent leaves it as it is. Absent on success (the
   * scheduler drops the nomination when it assumes the pod). */
  readonly nominatedNodeName?: string;
}

/** Runs scheduling cycles for all profiles; holds the rotating start index, like upstream's Scheduler. */
export class ScheduleAlgorithm {
  private nextStartNodeIndex = 0;
  /** Filter runs that account for nominated pods; shared with PostFilter (preemption) plugins. */
  readonly filters: FilterRunner;

  constructor(
    private readonly cluster: ClusterState,
    private readonly rng: RandomStream,
    /** Pods nominated to nodes by preemption (upstream PodNominator). */
    readonly nominator: PodNominator = new PodNominator(),
  ) {
    this.filters = new FilterRunner(nominator);
  }

  /** How ties between the best nodes break: 'random' (upstream: uniform, seeded) or
   * 'nodeName' (the lowest name, as the FGD simulator's kube-scheduler fork does "for
   * reproducibility": mental2008/kubernetes v1.20.5-minor generic_scheduler.go selectHost). */
  tieBreak: 'random' | 'nodeName' = 'random';

  private readonly buffers = new ScoreBuffers();
  /** Filter verdicts and best scores kept across cycles (searchFitIndex, selectByFitIndex). */
  private fit = new FitIndex();
  private readonly probe = new CycleProbe();
  /** Whether cycles may use the FitIndex (tests compare with and without), and how many
   * searches and selections it made. */
  useFitIndex = true;
  readonly fitIndexUse = { searches: 0, selections: 0 };

  /** Starts the FitIndex over with another policy (tests). */
  setFitIndexPolicy(policy: FitIndexPolicy): void {
    this.fit = new FitIndex(policy);
  }
  private readonly feasibleBuf: NodeInfo[] = [];
  /** The feasible nodes' positions in the cluster's scheduling order, when the search went
   * through that order (scoring then reads their books by position: ScoredOrder). */
  private feasiblePos = new Int32Array(0);
  private readonly scoredOrder: { order: BooksOrder | null; positions: Int32Array } = { order: null, positions: this.feasiblePos };
  /** The nodes the search rejected and their statuses, in search order (reused per cycle): a
   * map of them (upstream Diagnosis.NodeToStatus) is built only when nothing fits, the one
   * reader. Setting a map entry per rejected node was the costliest line of the cycle's own
   * time in a TopologySpreading profile, where a third of the nodes fail the zone skew. Entries past this
   * cycle's count are stale (at most one per node) and overwritten by later cycles. */
  private readonly failedNodes: NodeInfo[] = [];
  private readonly failedStatuses: Status[] = [];
  /** The verdicts of the batch being filtered (reused per batch). */
  private readonly verdictBuf: Verdict[] = [];

  /** The last skip set made per framework and its mask (skipSet). */
  private readonly skipSets = new Map<Framework, { mask: number; set: ReadonlySet<string> }>();

  /** The names of the PreFilter plugins whose bits `mask` sets (bit i: fwk.preFilter[i]), as the
   * set the framework's last cycle with that mask had. A set is never changed once made. */
  private skipSet(fwk: Framework, mask: number): ReadonlySet<string> {
    const last = this.skipSets.get(fwk);
    if (last !== undefined && last.mask === mask) return last.set;
    const set = new Set<string>();
    for (let i = 0; i < fwk.preFilter.length; i++) if (Math.floor(mask / 2 ** i) % 2 === 1) set.add((fwk.preFilter[i] as PreFilterPlugin).name);
    this.skipSets.set(fwk, { mask, set });
    return set;
  }

  schedule(fwk: Framework, state: CycleState, pod: PodInfo): ScheduleResult {
    // Zones in turn (upstream's nodeTree), not the order the nodes joined.
    const nodes = this.cluster.schedulingNodes();
    // Plugins that rejected the pod somewhere: made at the first rejection (most cycles have none).
    let unschedulable: Set<string> | null = null;
    if (nodes.length === 0) {
      return fail(Code.Unschedulable, 'no nodes available to schedule pods', 0, NO_PLUGINS);
    }
    // PreFilter.
    let allowed: ReadonlySet<string> | null = null;
    let subsetPlugins: string[] | null = null;
    // The PreFilter plugins that returned Skip, one bit each by position: most cycles skip the
    // same ones as the cycle before, which then share its set (no set made per cycle).
    let skipMask = 0;
    /** An Unschedulable PreFilter status (the last): the other PreFilters still run, so that
     * preemption's dry run finds their state (upstream RunPreFilterPlugins, kubernetes#119770). */
    let rejected: Status | null = null;
    for (let i = 0; i < fwk.preFilter.length; i++) {
      const p = fwk.preFilter[i] as PreFilterPlugin;
      const { status, result } = p.preFilter(state, pod, nodes);
      if (status !== null && status.code === Code.Skip) {
        skipMask += 2 ** i;
        continue;
      }
      if (status !== null && status.code !== Code.Success) {
        // Upstream pkg/scheduler/framework/runtime/framework.go RunPreFilterPlugins.
        if (status.code === Code.Error) {
          const message = preFilterErrorMessage(p.name, status.message);
          return pluginError(fwk, pod, status.plugin === '' ? p.name : status.plugin, message, 0, unschedulable ?? NO_PLUGINS);
        }
        (unschedulable ??= new Set()).add(p.name);
        if (status.code === Code.Unschedulable) {
          rejected = status.withPlugin(p.name);
          continue;
        }
        // Upstream gives every node the PreFilter status, so PostFilter sees it on all of them.
        return this.postFilter(fwk, state, pod, status.code, `0/${nodes.length} nodes are available: ${status.message}.`, 0, unschedulable ?? NO_PLUGINS, status.withPlugin(p.name));
      }
      if (result?.nodeNames != null) {
        allowed = intersect(allowed, result.nodeNames);
        (subsetPlugins ??= []).push(p.name);
        if (allowed.size === 0) {
          // Upstream RunPreFilterPlugins: the node subsets have nothing in common.
          const msg = subsetPlugins.length === 1 ? `node(s) didn't satisfy plugin ${p.name}` : `node(s) didn't satisfy plugin(s) [${subsetPlugins.join(' ')}] simultaneously`;
          for (const n of subsetPlugins) (unschedulable ??= new Set()).add(n);
          const st = Status.unschedulable(msg);
          return this.postFilter(fwk, state, pod, Code.Unschedulable, `0/${nodes.length} nodes are available: ${msg}.`, 0, unschedulable ?? NO_PLUGINS, st);
        }
      }
    }
    const skip: ReadonlySet<string> = skipMask === 0 ? EMPTY : this.skipSet(fwk, skipMask);
    // PreFilter extensions and PostFilter plugins re-run filters; they read the skip set here.
    if (skipMask !== 0) state.skipFilterPlugins = skip;
    if (rejected !== null) return this.postFilter(fwk, state, pod, rejected.code, `0/${nodes.length} nodes are available: ${rejected.message}.`, 0, unschedulable ?? NO_PLUGINS, rejected);
    const failedNodes = this.failedNodes;
    const failedStatuses = this.failedStatuses;
    let numFailed = 0;
    /** The nominated node when it failed: a second failure there is the same entry. */
    let failedNominated: NodeInfo | null = null;

    // The node preemption nominated is tried first; if it passes, it is taken without a search
    // (upstream evaluateNominatedNode; it does not consult the PreFilter result).
    let evaluated = 0;
    if (pod.nominatedNodeName !== null) {
      const nominated = this.cluster.nodeByName.get(pod.nominatedNodeName);
      if (nominated !== undefined) {
        evaluated++;
        const v = this.filters.run(fwk, state, pod, nominated, skip);
        if (v === null || v.code === Code.Success) {
          return { nodeName: nominated.name, code: Code.Success, reason: '', nodesEvaluated: evaluated, nodesFeasible: 1, nodesScored: 0, unschedulablePlugins: unschedulable ?? NO_PLUGINS };
        }
        // An Error here is only logged upstream; the full search follows either way.
        if (v.code !== Code.Error) {
          failedNodes[0] = nominated;
          failedStatuses[0] = v;
          numFailed = 1;
          failedNominated = nominated;
          if (v.plugin !== '') (unschedulable ??= new Set()).add(v.plugin);
        }
      }
    }

    // Filter, from the rotating start index, until enough feasible nodes are found. Nodes with
    // nominated pods are filtered twice (with and without them) only while some pod is nominated.
    const withNominated = this.nominator.size > 0;
    // A PreFilter node subset narrows the candidates; the other nodes get one status
    // (upstream SetAbsentNodesStatus) and are not examined.
    let candidates: readonly NodeInfo[] = nodes;
    let absent: Status | null = null;
    if (allowed !== null && subsetPlugins !== null) {
      candidates = subsetInNodeOrder(allowed, nodes, this.cluster.nodeByName);
      const names = [...subsetPlugins].sort();
      for (const n of names) (unschedulable ??= new Set()).add(n);
      absent = Status.unresolvable(`node(s) didn't satisfy plugin(s) [${names.join(' ')}]`);
    }
    const numCandidates = candidates.length;
    const toFind = fwk.score.length === 0 ? 1 : numFeasibleNodesToFind(fwk.percentageOfNodesToScore, numCandidates);
    // One buffer per algorithm: the feasible list only lives for this cycle. It is overwritten
    // in place and cut to length at the end: emptying it first (length = 0) makes V8 free its
    // backing store, which every cycle then grew back.
    const feasible = this.feasibleBuf;
    let numFeasible = 0;
    // Without a PreFilter subset the candidates are the cluster's order: positions are noted.
    const order = candidates === nodes ? this.cluster.booksInOrder(nodes) : null;
    if (order !== null && this.feasiblePos.length < numCandidates) this.feasiblePos = new Int32Array(Math.max(numCandidates, 2 * this.feasiblePos.length));
    const positions = this.feasiblePos;
    let processed = 0;
    // The nodes are searched in batches, each at most as large as the feasible nodes still to
    // find (and not past the end of the list): the search cannot end inside one (except on an
    // Error), so no node past its end is looked at. With every active filter able to
    // (FilterPlugin.filterNodes), a batch goes through the filters a plugin at a time;
    // otherwise node by node, up to an Error.
    const batchFilters = withNominated ? null : fwk.batchFilters(skip);
    const verdicts = this.verdictBuf;
    let at = this.nextStartNodeIndex % numCandidates;
    let left = numCandidates;
    // Pods whose filters all have a node-local class: the FitIndex says which nodes the search
    // looks at and which of them pass, without filtering them (unless none passes: the search
    // below then gives the statuses).
    const fit = order !== null && batchFilters !== null && toFind > 1 && this.useFitIndex && fwk.audit === null && pod.nominatedNodeName === null ? this.searchFitIndex(fwk, state, pod, nodes, order, batchFilters, at, toFind) : null;
    if (fit !== null) {
      this.fitIndexUse.searches++;
      numFeasible = fit.found;
      numFailed = fit.looked - fit.found;
      processed = fit.looked;
      left = 0;
      if (numFailed > 0) {
        for (const p of this.fit.rejectedPositions()) {
          const v = fwk.runFilters(state, pod, nodes[p] as NodeInfo, skip);
          if (v !== null && v.plugin !== '') (unschedulable ??= new Set()).add(v.plugin);
        }
      }
    }
    while (left > 0 && numFeasible < toFind) {
      let count = toFind - numFeasible;
      if (count > left) count = left;
      if (count > numCandidates - at) count = numCandidates - at;
      left -= count;
      let end = at + count;
      let rejected = 0;
      if (batchFilters !== null) {
        rejected = fwk.runFiltersOnBatch(state, pod, batchFilters, candidates, at, end, verdicts);
      } else {
        for (let i = at; i < end; i++) {
          const node = candidates[i] as NodeInfo;
          const v = withNominated ? this.filters.run(fwk, state, pod, node, skip) : fwk.runFilters(state, pod, node, skip);
          verdicts[i - at] = v;
          if (v === null) continue;
          rejected++;
          if (v.code === Code.Error) {
            end = i + 1;
            break;
          }
        }
      }
      if (rejected === 0) {
        // The whole batch passed (most batches): copied as it is.
        if (order !== null) for (let i = at, k = numFeasible; i < end; i++) positions[k++] = i;
        let i = at;
        for (; i < end && numFeasible < feasible.length; i++) feasible[numFeasible++] = candidates[i] as NodeInfo;
        for (; i < end; i++) {
          feasible.push(candidates[i] as NodeInfo);
          numFeasible++;
        }
        processed += end - at;
        at = end === numCandidates ? 0 : end;
        continue;
      }
      for (let i = at; i < end; i++) {
        const node = candidates[i] as NodeInfo;
        const v = verdicts[i - at] as Verdict;
        processed++;
        if (v === null) {
          if (order !== null) positions[numFeasible] = i;
          if (numFeasible < feasible.length) feasible[numFeasible] = node;
          else feasible.push(node);
          numFeasible++;
          continue;
        }
        if (v.code === Code.Error) {
          this.advanceStartIndex(numFeasible + numFailed, nodes.length);
          return pluginError(fwk, pod, v.plugin, v.message, evaluated + processed, unschedulable ?? NO_PLUGINS);
        }
        if (node === failedNominated) failedStatuses[0] = v;
        else {
          failedNodes[numFailed] = node;
          failedStatuses[numFailed] = v;
          numFailed++;
        }
        if (v.plugin !== '') (unschedulable ??= new Set()).add(v.plugin);
      }
      at = end === numCandidates ? 0 : end;
    }
    // The FitIndex's feasible nodes are listed only when a plugin may read them: when the pick
    // is known without them, copying them was a twentieth of a trace replay's time.
    let listed = fit === null;
    if (!listed && (numFeasible === 1 || this.tieBreak !== 'random' || !scoredNodesIgnored(fwk, state, pod))) {
      this.fit.feasibleInto(nodes, feasible, positions);
      listed = true;
    }
    if (listed && feasible.length !== numFeasible) feasible.length = numFeasible;
    // Upstream advances by feasible + recorded statuses, which counts a failed nominated node
    // even when the search stopped before reaching it again.
    this.advanceStartIndex(numFeasible + numFailed, nodes.length);
    evaluated += processed;

    if (numFeasible === 0) {
      const failures = new NodeToStatus(failedNodes.slice(0, numFailed), failedStatuses.slice(0, numFailed));
      const absentCount = nodes.length - candidates.length;
      return this.postFilter(fwk, state, pod, Code.Unschedulable, fitErrorMessage(nodes.length, failures, absent, absentCount), evaluated, unschedulable ?? NO_PLUGINS, failures);
    }
    if (numFeasible === 1) {
      return { nodeName: (feasible[0] as NodeInfo).name, code: Code.Success, reason: '', nodesEvaluated: evaluated, nodesFeasible: 1, nodesScored: 0, unschedulablePlugins: unschedulable ?? NO_PLUGINS };
    }
    const scored = this.scoredOrder;
    scored.order = order;
    scored.positions = positions;
    const skipped = this.buffers.skipped(fwk.preScore.length);
    // Unlisted, every PreScore plugin gets the cluster's nodes: all said they give the same.
    const preScored = listed ? feasible : nodes;
    const preErr = fwk.score.length === 0 ? null : runPreScore(fwk, state, pod, preScored, skipped);
    if (preErr !== null) return pluginError(fwk, pod, preErr.plugin, preErr.message, evaluated, unschedulable ?? NO_PLUGINS);
    if (fit !== null && this.tieBreak === 'random') {
      // Every score is node-local or constant: the index gives the best node.
      const p = this.selectByFitIndex(fwk, state, pod, preScored, nodes, skipped);
      if (p >= 0) {
        this.fitIndexUse.selections++;
        return {
          nodeName: (nodes[p] as NodeInfo).name,
          code: Code.Success,
          reason: '',
          nodesEvaluated: evaluated,
          nodesFeasible: numFeasible,
          nodesScored: numFeasible,
          unschedulablePlugins: unschedulable ?? NO_PLUGINS,
        };
      }
    }
    if (!listed) {
      this.fit.feasibleInto(nodes, feasible, positions);
      if (feasible.length !== numFeasible) feasible.length = numFeasible;
    }
    const totals = scoreNodes(fwk, state, pod, feasible, skipped, this.buffers, scored);
    if (totals instanceof Status) return pluginError(fwk, pod, totals.plugin, totals.message, evaluated, unschedulable ?? NO_PLUGINS);
    return {
      nodeName: this.selectHost(feasible, totals),
      code: Code.Success,
      reason: '',
      nodesEvaluated: evaluated,
      nodesFeasible: feasible.length,
      nodesScored: feasible.length,
      unschedulablePlugins: unschedulable ?? NO_PLUGINS,
    };
  }

  /** The FitIndex's search for a pod whose every active filter (`filters`) has a node-local
   * class, or null (a filter without one, or a class seen for the first time, or no node
   * passes). */
  private searchFitIndex(fwk: Framework, state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[], order: BooksOrder, filters: readonly FilterPlugin[], start: number, toFind: number): FitRange | null {
    const keys = this.fitKeys;
    keys.begin();
    keys.add(this.buffers.frameworkId(fwk));
    for (let i = 0; i < filters.length; i++) {
      const f = filters[i] as FilterPlugin;
      if (f.nodeLocalFilterClass === undefined) return null;
      const c = f.nodeLocalFilterClass(pod);
      if (c < 0) return null;
      keys.add(fwk.filter.indexOf(f));
      keys.add(c);
    }
    const key = keys.end();
    const probe = this.probe;
    probe.cycle(fwk, state, pod, filters, null);
    const r = this.fit.search(key, order, nodes, probe, start, toFind);
    return r === null || r.found === 0 ? null : r;
  }

  /** The position of the node picked among the FitIndex's last search when every Score plugin
   * of the cycle is skipped, constant (ScorePlugin.constantScore) or in the node-local group
   * (ScorePlugin.nodeLocalClass); -1 otherwise, or when a score is invalid (the usual path then
   * scores and reports it). */
  private selectByFitIndex(fwk: Framework, state: CycleState, pod: PodInfo, feasible: readonly NodeInfo[], nodes: readonly NodeInfo[], skipped: Uint8Array): number {
    const constants = this.buffers.constantScores(fwk, state, pod, feasible, skipped);
    const group = this.buffers.memoGroup(fwk, pod, skipped, constants?.member ?? null);
    if (group === null) return -1;
    for (let j = 0; j < fwk.score.length; j++) {
      if (group.member[j] !== 1 && constants?.member[j] !== 1 && !scoreSkipped(fwk, skipped, j)) return -1;
    }
    const probe = this.probe;
    probe.cycle(fwk, state, pod, null, group.plugins);
    return this.fit.select(group.key, nodes, probe, this.rng);
  }

  /** Filter classes' keys in the FitIndex: the framework, and each active filter's index and class. */
  private readonly fitKeys = new TupleNumbers();

  /** Upstream findNodesThatFitPod: the next search starts `processed` nodes further on, modulo
   * ALL nodes even when a PreFilter node subset narrowed this search (so a DaemonSet pod, whose
   * subset is its one node, does not send the rotation back to the start); also after a filter
   * Error ("always try to update the sched.nextStartNodeIndex regardless of whether an error has
   * occurred"). */
  private advanceStartIndex(processed: number, numAllNodes: number): void {
    this.nextStartNodeIndex = (this.nextStartNodeIndex + processed) % numAllNodes;
  }

  /** Where the next search over the nodes starts (upstream sched.nextStartNodeIndex). */
  get startNodeIndex(): number {
    return this.nextStartNodeIndex;
  }

  /** The pod fits nowhere (upstream FitError): run PostFilter plugins, append their message to
   * the FitError text (upstream Diagnosis.PostFilterMsg) and pass on their nomination. Without
   * PostFilter plugins the nomination is cleared. `statuses` is a Status when PreFilter rejected
   * the pod: every node then has it. Dry-run filter evaluations count towards nodesEvaluated. */
  private postFilter(
    fwk: Framework,
    state: CycleState,
    pod: PodInfo,
    code: Code,
    fitError: string,
    evaluated: number,
    unschedulablePlugins: ReadonlySet<string>,
    statuses: ReadonlyMap<string, Status> | Status,
  ): ScheduleResult {
    if (fwk.postFilter.length === 0) return fail(code, fitError, evaluated, unschedulablePlugins);
    const m: ReadonlyMap<string, Verdict> = statuses instanceof Status ? NodeToStatus.every(this.cluster.schedulingNodes(), statuses) : statuses;
    const runsBefore = this.filters.runs;
    const { status, result } = runPostFilterPlugins(fwk, state, pod, m);
    const msg = status === null ? '' : status.message;
    const base = {
      nodeName: null,
      code,
      reason: msg === '' ? fitError : `${fitError} ${msg}`,
      nodesEvaluated: evaluated + (this.filters.runs - runsBefore),
      nodesFeasible: 0,
      nodesScored: 0,
      unschedulablePlugins,
    };
    return result === undefined ? base : { ...base, nominatedNodeName: result.nominatedNodeName ?? '' };
  }

  /** Highest total wins; ties are broken uniformly at random by reservoir sampling (upstream selectHost). */
  private selectHost(nodes: readonly NodeInfo[], totals: Float64Array): string {
    if (this.tieBreak === 'nodeName') return lowestNameTop(nodes, totals);
    return (nodes[pickTopScore(totals, this.rng)] as NodeInfo).name;
  }
}

/** The nodes named in a PreFilter subset, in the scheduler's node order (what filtering the node
 * list by the set gives). A small subset (a DaemonSet pod's one node) is looked up by name and
 * put in order by treePos: filtering all nodes for each pod made SchedulingDaemonset quadratic. */
function subsetInNodeOrder(names: ReadonlySet<string>, nodes: readonly NodeInfo[], byName: ReadonlyMap<string, NodeInfo>): NodeInfo[] {
  if (names.size * 8 >= nodes.length) return nodes.filter((n) => names.has(n.name));
  const out: NodeInfo[] = [];
  for (const name of names) {
    const n = byName.get(name);
    if (n !== undefined) out.push(n);
  }
  return out.sort((a, b) => a.treePos - b.treePos);
}

/** The highest total's node; among equal totals the lowest node name. */
function lowestNameTop(nodes: readonly NodeInfo[], totals: Float64Array): string {
  let best = 0;
  for (let i = 1; i < totals.length; i++) {
    const s = totals[i] as number;
    const b = totals[best] as number;
    if (s > b || (s === b && (nodes[i] as NodeInfo).name < (nodes[best] as NodeInfo).name)) best = i;
  }
  return (nodes[best] as NodeInfo).name;
}

/**
 * Index of the highest total; ties are broken uniformly at random. Upstream's selectHost gets
 * the same distribution by reservoir sampling (one draw per tied node); one draw among the
 * tied nodes, in node order, is enough (the reference's guidance: uniform, seeded).
 */
export function pickTopScore(totals: Float64Array, rng: RandomStream): number {
  const n = totals.length;
  if (tiedAt.length < n) tiedAt = new Int32Array(Math.max(n, 2 * tiedAt.length));
  // The tied nodes' positions, in node order, collected in the one pass (a second pass looked
  // for the k-th of them: a tenth of a trace replay's cycle, where most nodes tie).
  const tied = tiedAt;
  let best = -Infinity;
  let count = 0;
  for (let i = 0; i < n; i++) {
    const s = totals[i] as number;
    if (s > best) {
      best = s;
      tied[0] = i;
      count = 1;
    } else if (s === best) {
      tied[count++] = i;
    }
  }
  if (count === 0) return 0;
  return tied[count > 1 ? rng.int(count) : 0] as number;
}

/** Whether every PreScore plugin and every Score plugin with a constant score says it gives the
 * same whatever list of the cluster's nodes it gets (scoredNodesIgnored). */
function scoredNodesIgnored(fwk: Framework, state: CycleState, pod: PodInfo): boolean {
  for (let k = 0; k < fwk.preScore.length; k++) {
    const p = fwk.preScore[k] as PreScorePlugin;
    if (p.scoredNodesIgnored === undefined || !p.scoredNodesIgnored(state, pod)) return false;
  }
  for (let j = 0; j < fwk.score.length; j++) {
    const p = fwk.score[j] as ScorePlugin;
    if (p.constantScore !== undefined && (p.scoredNodesIgnored === undefined || !p.scoredNodesIgnored(state, pod))) return false;
  }
  return true;
}

/** Whether Score plugin j is left out of this cycle: its PreScore returned Skip (upstream
 * SkipScorePlugins). */
function scoreSkipped(fwk: Framework, skipped: Uint8Array, j: number): boolean {
  const k = fwk.preScoreOfScore[j] as number;
  return k >= 0 && skipped[k] === 1;
}

/** pickTopScore's positions of the nodes tied for the top (reused). */
let tiedAt = new Int32Array(1024);

/** A cycle's plugins with a node-local class (ScorePlugin.nodeLocalClass), and the key of their
 * weighted sum in `cache`. */
interface MemoGroup {
  /** 1 at the index (in Framework.score) of each plugin of the group. */
  readonly member: Uint8Array;
  readonly plugins: readonly number[];
  readonly key: number;
  /** The sums by node; keys are unique across frameworks and classes. */
  readonly cache: NodeScoreCache;
}

/** Where the nodes being scored sit in the cluster's scheduling order (ClusterState.booksInOrder),
 * when they came from it: `positions[i]` is nodes[i]'s. */
export interface ScoredOrder {
  readonly order: BooksOrder | null;
  readonly positions: Int32Array;
}

/** Writes each node's weighted sum of the group's scores, plus `base` (the constant scores'
 * sum), into `totals` (the sum looked up, or computed with `score` and kept); false at the first
 * score that is not a final score (an integer in [0, 100]), with `totals` partly written. Integer scores and weights: the sums are exact, so
 * adding the other plugins' terms after gives the totals a pass per plugin in order gives. */
function memoTotals(fwk: Framework, state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[], g: MemoGroup, totals: Float64Array, base: number, at: ScoredOrder | undefined): boolean {
  const cache = g.cache;
  const key = g.key;
  const plugins = g.plugins;
  const n = nodes.length;
  const order = at?.order ?? null;
  const positions = at?.positions ?? null;
  // Runs of nodes with a sum kept are written by the cache (read from the books rows when the
  // nodes' positions are known); after a node without one, the nodes that follow are looked up
  // one by one while they miss too (a pod of another shape than the last misses everywhere).
  for (let i = 0; i < n; ) {
    i = order !== null && positions !== null ? cache.addCachedRunAt(order, positions, i, n, key, base, totals) : cache.addCachedRun(nodes, i, key, base, totals);
    while (i < n) {
      const node = nodes[i] as NodeInfo;
      if (cache.has(node, key)) break;
      let t = 0;
      for (let m = 0; m < plugins.length; m++) {
        const j = plugins[m] as number;
        const s = (fwk.score[j] as ScorePlugin).score(state, pod, node);
        if (!isValidNodeScore(s)) return false;
        t += (fwk.scoreWeights[j] as number) * s;
      }
      cache.set(node, key, t);
      totals[i] = t + base;
      i++;
    }
  }
  return true;
}

/** Reusable score arrays of one ScheduleAlgorithm (views of the right length are handed out). */
export class ScoreBuffers {
  /** Group keys: the framework, then each plugin's index and class; keys are never reused. */
  private readonly groupKeys = new TupleNumbers();
  private readonly frameworkIds = new Map<Framework, number>();

  /** A number for `fwk`, unique among this algorithm's frameworks (part of class keys). */
  frameworkId(fwk: Framework): number {
    let id = this.frameworkIds.get(fwk);
    if (id === undefined) this.frameworkIds.set(fwk, (id = this.frameworkIds.size));
    return id;
  }

  private member = new Uint8Array(0);
  private readonly groupPlugins: number[] = [];
  private readonly group = { member: this.member, plugins: this.groupPlugins as readonly number[], key: 0, cache: new NodeScoreCache() };

  private constMember = new Uint8Array(0);
  private readonly constants = { member: this.constMember, sum: 0 };

  /** This cycle's plugins (skipped ones left out) whose final scores are one valid value for
   * every node (ScorePlugin.constantScore), and the sum of their weighted values; null when there
   * are none. Valid until the next call. */
  constantScores(fwk: Framework, state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[], skipped: Uint8Array): { readonly member: Uint8Array; readonly sum: number } | null {
    let any = false;
    let sum = 0;
    for (let j = 0; j < fwk.score.length; j++) {
      const p = fwk.score[j] as ScorePlugin;
      if (p.constantScore === undefined) continue;
      if (scoreSkipped(fwk, skipped, j)) continue;
      const c = p.constantScore(state, pod, nodes);
      if (!isValidNodeScore(c)) continue;
      if (!any) {
        any = true;
        if (this.constMember.length < fwk.score.length) this.constMember = new Uint8Array(fwk.score.length);
        this.constMember.fill(0);
      }
      this.constMember[j] = 1;
      sum += (fwk.scoreWeights[j] as number) * c;
    }
    if (!any) return null;
    this.constants.member = this.constMember;
    this.constants.sum = sum;
    return this.constants;
  }

  /** The group of this cycle's plugins with a node-local class (skipped ones and those with a
   * constant score left out), or null when fewer than two have one. Valid until the next call. */
  memoGroup(fwk: Framework, pod: PodInfo, skipped: Uint8Array, constant: Uint8Array | null): MemoGroup | null {
    // Overwritten in place and cut to length (length = 0 would make V8 drop the backing store).
    const plugins = this.groupPlugins;
    let count = 0;
    const keys = this.groupKeys;
    keys.begin();
    keys.add(this.frameworkId(fwk));
    for (let j = 0; j < fwk.score.length; j++) {
      const p = fwk.score[j] as ScorePlugin;
      if (p.nodeLocalClass === undefined || p.normalizeScore !== undefined || constant?.[j] === 1) continue;
      if (scoreSkipped(fwk, skipped, j)) continue;
      const cls = p.nodeLocalClass(pod);
      if (cls < 0) continue;
      if (count < plugins.length) plugins[count] = j;
      else plugins.push(j);
      count++;
      keys.add(j);
      keys.add(cls);
    }
    if (plugins.length !== count) plugins.length = count;
    if (count < 2) return null;
    const key = keys.end();
    if (this.member.length < fwk.score.length) this.member = new Uint8Array(fwk.score.length);
    this.member.fill(0);
    for (const j of plugins) this.member[j] = 1;
    this.group.member = this.member;
    this.group.key = key;
    return this.group;
  }

  private totals = new Float64Array(0);
  /** One array of scores per Score plugin of a cycle, each as long as `totals`. */
  private scores: Float64Array[] = [];
  private skipFlags = new Uint8Array(0);
  /** scoreNodes' lists of the plugins it scored in a cycle (the first entries are the cycle's). */
  readonly picked = { scored: [] as Float64Array[], weights: [] as number[], names: [] as string[] };

  /** At least `n` flags, the first `n` zeroed: one per PreScore plugin. */
  skipped(n: number): Uint8Array {
    if (this.skipFlags.length < n) this.skipFlags = new Uint8Array(n);
    this.skipFlags.fill(0, 0, n);
    return this.skipFlags;
  }

  /** The views handed out last, kept while the count stays the same (it mostly does: the
   * feasible nodes to find), so that a cycle makes no new views. */
  private views: { totals: Float64Array; scores: Float64Array[] } = { totals: new Float64Array(0), scores: [] };

  /** Zeroed totals for `n` nodes and `plugins` score arrays of `n` (their contents left over). */
  get(n: number, plugins: number): { totals: Float64Array; scores: readonly Float64Array[] } {
    if (this.views.totals.length !== n || this.views.scores.length < plugins) {
      if (this.totals.length < n) {
        this.totals = new Float64Array(Math.max(n, 2 * this.totals.length));
        this.scores = [];
      }
      while (this.scores.length < plugins) this.scores.push(new Float64Array(this.totals.length));
      this.views = { totals: this.totals.subarray(0, n), scores: this.scores.map((a) => a.subarray(0, n)) };
    }
    this.views.totals.fill(0);
    return this.views;
  }
}

/** PreScore, Score, NormalizeScore and weighting; returns each node's total (parallel to nodes).
 * With `buffers`, the returned array is only valid until the next call. An Error names the
 * plugin that caused it (Status.plugin). */
export function prioritize(fwk: Framework, state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[], buffers?: ScoreBuffers, at?: ScoredOrder): Float64Array | Status {
  if (fwk.score.length === 0) return scoreNodes(fwk, state, pod, nodes, new Uint8Array(0), buffers, at);
  // Which PreScore plugins returned Skip (their Score is not run; upstream SkipScorePlugins).
  const skipped = buffers?.skipped(fwk.preScore.length) ?? new Uint8Array(fwk.preScore.length);
  const err = runPreScore(fwk, state, pod, nodes, skipped);
  return err ?? scoreNodes(fwk, state, pod, nodes, skipped, buffers, at);
}

/** The PreScore plugins, in order: `skipped[k]` set for each that returns Skip; an Error ends
 * them (returned, naming the plugin). */
function runPreScore(fwk: Framework, state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[], skipped: Uint8Array): Status | null {
  for (let k = 0; k < fwk.preScore.length; k++) {
    const p = fwk.preScore[k] as PreScorePlugin;
    const v = p.preScore(state, pod, nodes);
    if (v === null || v.code === Code.Success) continue;
    if (v.code === Code.Skip) skipped[k] = 1;
    else return new Status(Code.Error, [`running PreScore plugin "${p.name}": ${v.message}`], p.name);
  }
  return null;
}

/** prioritize after PreScore (`skipped` as runPreScore left it). */
function scoreNodes(fwk: Framework, state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[], skipped: Uint8Array, buffers?: ScoreBuffers, at?: ScoredOrder): Float64Array | Status {
  const n = nodes.length;
  const bufs = buffers?.get(n, fwk.score.length);
  const totals = bufs?.totals ?? new Float64Array(n);
  if (fwk.score.length === 0) {
    totals.fill(1);
    return totals;
  }
  const audit = fwk.audit;
  // The plugins whose scores depend on the node's books and the pod's class alone: their
  // weighted sum per node, kept across cycles (NodeScoreCache), goes into the totals first.
  // Not while an audit needs each plugin's scores; an invalid score leaves it to the usual path,
  // which reports it.
  // Plugins whose final scores are one value for every node (ScorePlugin.constantScore) add
  // their weighted value to every total: the totals start from it.
  const constants = buffers !== undefined && audit === null ? buffers.constantScores(fwk, state, pod, nodes, skipped) : null;
  const base = constants === null ? 0 : constants.sum;
  if (base !== 0) totals.fill(base);
  let memo = buffers !== undefined && audit === null ? buffers.memoGroup(fwk, pod, skipped, constants?.member ?? null) : null;
  if (memo !== null && !memoTotals(fwk, state, pod, nodes, memo, totals, base, at)) {
    memo = null;
    totals.fill(base);
  }
  // Each plugin's final scores in an array of its own, weighed into the totals in one pass over
  // the nodes at the end (weighToTotals): a pass per plugin re-read and re-wrote every total.
  // The first `k` entries of the lists are this cycle's (reused per cycle with buffers).
  const { scored, weights, names } = buffers?.picked ?? { scored: [], weights: [], names: [] };
  let k = 0;
  for (let j = 0; j < fwk.score.length; j++) {
    const plugin = fwk.score[j] as ScorePlugin;
    if (scoreSkipped(fwk, skipped, j)) continue;
    if (memo !== null && memo.member[j] === 1) continue;
    if (constants !== null && constants.member[j] === 1) continue;
    const scores = bufs?.scores[j] ?? new Float64Array(n);
    // Raw scores: all nodes in one call (scoreNodes: the per-node loop inside the plugin), else
    // node by node. Upstream Score returns an int64: a fraction (or NaN) cannot reach
    // NormalizeScore or the audit; without either, the final check covers it.
    // A plugin module's raw scores too: a string or null would pass into the Float64Array as a
    // number (a check on built-in plugins' would cost the per-node loop for nothing).
    // With an audit, numbers are checked after the loop, once the audit has seen them all (it
    // stops the run at a bad one: plugin-score); only a value that is not a number stops here.
    const rawChecked = plugin.normalizeScore !== undefined || audit !== null || (plugin as { [FROM_PLUGIN_MODULE]?: boolean })[FROM_PLUGIN_MODULE] === true;
    if (plugin.scoreNodes !== undefined) {
      plugin.scoreNodes(state, pod, nodes, scores);
      if (rawChecked && audit === null) {
        for (let i = 0; i < n; i++) {
          const s = scores[i] as number;
          // An int32 (nearly every raw score) is a safe integer: the slower test is for the rest.
          if ((s | 0) !== s && !Number.isSafeInteger(s)) return earlierInvalid(scored, names, k, n) ?? invalidScore(plugin.name, s, true);
        }
      }
    } else {
      for (let i = 0; i < n; i++) {
        const s = plugin.score(state, pod, nodes[i] as NodeInfo);
        if (rawChecked && !Number.isSafeInteger(s) && (audit === null || typeof s !== 'number')) {
          const bad = typeof s === 'number' ? invalidScore(plugin.name, s, true) : notANumberScore(plugin.name, s);
          if (typeof s !== 'number') audit?.notANumber(plugin.name, pod, nodes[i] as NodeInfo, bad.reasons[0] ?? '');
          return earlierInvalid(scored, names, k, n) ?? bad;
        }
        scores[i] = s;
      }
    }
    if (audit !== null && plugin.normalizeScore !== undefined) {
      audit.scores(plugin.name, pod, nodes, scores.subarray(0, n), true);
      for (let i = 0; i < n; i++) if (!Number.isSafeInteger(scores[i])) return invalidScore(plugin.name, scores[i] as number, true);
    }
    if (plugin.normalizeScore !== undefined) {
      const v = plugin.normalizeScore(state, pod, nodes, scores);
      if (v !== null && v.code !== Code.Success) return earlierInvalid(scored, names, k, n) ?? (v.plugin === plugin.name ? v : new Status(v.code, v.reasons, plugin.name));
    }
    if (audit !== null) {
      // The invariant checker hears of no plugin after one whose final scores are invalid.
      audit.scores(plugin.name, pod, nodes, scores.subarray(0, n), false);
      const bad = firstInvalidScore(scores, n);
      if (bad >= 0) return invalidScore(plugin.name, scores[bad] as number, false);
    }
    scored[k] = scores;
    weights[k] = fwk.scoreWeights[j] as number;
    names[k] = plugin.name;
    k++;
  }
  if (weighToTotals(totals, scored, weights, k, n)) return totals;
  return earlierInvalid(scored, names, k, n) ?? totals;
}

/** The error for the first of the plugins scored so far whose final scores are not all ones the
 * framework accepts, or null. A cycle used to stop at such a plugin before scoring the next
 * ones; it now weighs them all at the end, so a later plugin's error reports this one first,
 * as before. */
function earlierInvalid(scored: readonly Float64Array[], names: readonly string[], k: number, n: number): Status | null {
  for (let j = 0; j < k; j++) {
    const scores = scored[j] as Float64Array;
    const bad = firstInvalidScore(scores, n);
    if (bad >= 0) return invalidScore(names[j] as string, scores[bad] as number, false);
  }
  return null;
}

function firstInvalidScore(scores: Float64Array, n: number): number {
  for (let i = 0; i < n; i++) if (!isValidNodeScore(scores[i] as number)) return i;
  return -1;
}

/** Adds each plugin's weight × score to each node's total, plugin after plugin in order (the
 * same sums, in the same order, as a pass per plugin); false when a score is not a final score
 * the framework accepts (the caller finds which). Four plugins at a time in one pass over the
 * nodes (the default profile's scorers for a pod without inter-pod or spreading terms are four):
 * a pass per plugin re-read and re-wrote every total, and V8 checks each typed array's shape and
 * bounds on every element it touches. */
function weighToTotals(totals: Float64Array, scored: readonly Float64Array[], weights: readonly number[], k: number, n: number): boolean {
  let ok = true;
  let j = 0;
  for (; j + 4 <= k; j += 4) {
    if (!addFourWeighted(totals, scored[j] as Float64Array, scored[j + 1] as Float64Array, scored[j + 2] as Float64Array, scored[j + 3] as Float64Array, weights[j] as number, weights[j + 1] as number, weights[j + 2] as number, weights[j + 3] as number, n)) ok = false;
  }
  for (; j < k; j++) if (!addWeighted(totals, scored[j] as Float64Array, n, weights[j] as number)) ok = false;
  return ok;
}

/** addWeighted for four plugins' scores in one pass. */
function addFourWeighted(totals: Float64Array, a: Float64Array, b: Float64Array, c: Float64Array, d: Float64Array, wa: number, wb: number, wc: number, wd: number, n: number): boolean {
  const max = MAX_NODE_SCORE;
  let invalid = 0;
  for (let i = 0; i < n; i++) {
    const sa = a[i] as number;
    const sb = b[i] as number;
    const sc = c[i] as number;
    const sd = d[i] as number;
    const ta = sa | 0;
    const tb = sb | 0;
    const tc = sc | 0;
    const td = sd | 0;
    if (ta !== sa || ta >>> 0 > max || tb !== sb || tb >>> 0 > max || tc !== sc || tc >>> 0 > max || td !== sd || td >>> 0 > max) invalid = 1;
    totals[i] = (totals[i] as number) + sa * wa + sb * wb + sc * wc + sd * wd;
  }
  return invalid === 0;
}

/** Adds `weight` × each of the first `n` scores to the totals; false when a score is not a final
 * score the framework accepts. Weighed first and checked after: the check inside the loop
 * (isValidNodeScore, three float comparisons) was a fifth of a default pod's scoring time over
 * 500 nodes. A function of its own, reading only locals: inside prioritize, with every plugin's
 * scoreNodes inlined around it, this loop cost about five times what it does alone, and an
 * imported constant is read through its module cell (with a not-yet-initialised check) on every
 * element. */
function addWeighted(totals: Float64Array, scores: Float64Array, n: number, weight: number): boolean {
  const max = MAX_NODE_SCORE;
  let invalid = 0;
  for (let i = 0; i < n; i++) {
    const s = scores[i] as number;
    // isValidNodeScore in integer operations (MIN_NODE_SCORE is 0, upstream
    // framework.MinNodeScore): an int32 equal to `s` (not NaN, not a fraction, not beyond int32),
    // then at most max as unsigned (a negative one wraps above it).
    const t = s | 0;
    if (t !== s || t >>> 0 > max) invalid = 1;
    totals[i] = (totals[i] as number) + s * weight;
  }
  return invalid === 0;
}

/** A final score the framework accepts: an integer in [MIN_NODE_SCORE, MAX_NODE_SCORE]. */
export function isValidNodeScore(s: number): boolean {
  return s >= MIN_NODE_SCORE && s <= MAX_NODE_SCORE && Number.isInteger(s);
}

/** Upstream's message for a final score out of range (RunScorePlugins); ksim's own for a score
 * that is not an integer, or a raw score beyond the safe integers, which Go's int64 scores
 * cannot be. `raw`: a Score output, before NormalizeScore. */
export function invalidScore(plugin: string, s: number, raw: boolean): Status {
  let msg: string;
  if (!Number.isInteger(s)) msg = `plugin "${plugin}" returns a non-integer score ${s}: scores are integers (int64 upstream)`;
  else if (raw) msg = `plugin "${plugin}" returns an invalid score ${s}, it should be a safe integer (|score| <= ${Number.MAX_SAFE_INTEGER})`;
  else msg = `plugin "${plugin}" returns an invalid score ${s}, it should in the range of [${MIN_NODE_SCORE}, ${MAX_NODE_SCORE}] after normalizing`;
  return new Status(Code.Error, [msg], plugin);
}

/** A Score that returned something other than a number. */
export function notANumberScore(plugin: string, s: unknown): Status {
  const shown = typeof s === 'string' ? JSON.stringify(s) : String(s);
  return new Status(Code.Error, [`plugin "${plugin}" returns a score of type ${s === null ? 'null' : typeof s} (${shown}): scores are integers (int64 upstream)`], plugin);
}

/** Upstream FitError.Error(): "0/N nodes are available: <count reason, sorted>." */
export function fitErrorMessage(numAllNodes: number, failures: ReadonlyMap<string, Status>, absent: Status | null = null, absentCount = 0): string {
  const histogram = reasonCounts(failures);
  if (absent !== null && absentCount > 0) for (const r of absent.reasons) histogram.set(r, (histogram.get(r) ?? 0) + absentCount);
  const parts = [...histogram].map(([r, n]) => `${n} ${r}`).sort();
  // Go: fmt.Sprintf(NoNodeAvailableMsg+":", n), then " <reasons>." when there are any.
  return parts.length > 0 ? `0/${numAllNodes} nodes are available: ${parts.join(', ')}.` : `0/${numAllNodes} nodes are available:`;
}

/** A cycle ended by an Error a plugin returned: the profile's audit hears of it first. */
function pluginError(fwk: Framework, pod: PodInfo, plugin: string, message: string, evaluated: number, plugins: ReadonlySet<string>): ScheduleResult {
  fwk.audit?.pluginError(plugin, pod, message);
  return { ...fail(Code.Error, message, evaluated, plugins), errorPlugin: plugin };
}

/** A failed cycle that is not a preemption attempt: the nomination is cleared (upstream
 * clearNominatedNode). */
function fail(code: Code, reason: string, evaluated: number, plugins: ReadonlySet<string>): ScheduleResult {
  return { nodeName: null, code, reason, nodesEvaluated: evaluated, nodesFeasible: 0, nodesScored: 0, unschedulablePlugins: plugins, nominatedNodeName: '' };
}

function intersect(a: ReadonlySet<string> | null, b: ReadonlySet<string>): ReadonlySet<string> {
  if (a === null) return b;
  return new Set([...a].filter((x) => b.has(x)));
}

const EMPTY: ReadonlySet<string> = new Set();

/** Runs the PostFilter plugins in order (upstream frameworkImpl.RunPostFilterPlugins): the first
 * Success or UnschedulableAndUnresolvable wins; any other non-rejection is an Error; otherwise the
 * rejections' reasons are collected and the last non-empty result is kept. */
export function runPostFilterPlugins(
  fwk: Framework,
  state: CycleState,
  pod: PodInfo,
  statuses: ReadonlyMap<string, Verdict>,
): { status: Verdict; result: PostFilterResult | undefined } {
  let result: PostFilterResult | undefined;
  const reasons: string[] = [];
  let rejector = '';
  for (const p of fwk.postFilter) {
    const r = p.postFilter(state, pod, statuses);
    const s = r.status;
    if (s === null || s.code === Code.Success) return { status: null, result: r.result };
    if (s.code === Code.UnschedulableAndUnresolvable) return { status: s.withPlugin(p.name), result: r.result };
    if (!s.isRejection()) return { status: new Status(Code.Error, [s.message], p.name), result: undefined };
    if (r.result !== undefined) result = r.result;
    reasons.push(...s.reasons);
    if (rejector === '') rejector = p.name;
  }
  return { status: new Status(Code.Unschedulable, reasons, rejector), result };
}

// ---------------------------------------------------------------------------------------------
// Nominated pods (upstream PodNominator and RunFilterPluginsWithNominatedPods)

/** Pods that preemption nominated to a node and that are not placed yet, by node. Keeps
 * PodInfo.nominatedNodeName in step with the index. */
export class PodNominator {
  private readonly byNode = new Map<string, PodInfo[]>();
  private count = 0;

  /** Number of nominated pods. */
  get size(): number {
    return this.count;
  }

  /** Pods nominated to `nodeName`, in nomination order; undefined when there are none. */
  forNode(nodeName: string): readonly PodInfo[] | undefined {
    return this.byNode.get(nodeName);
  }

  /** Nominates `pod` to `nodeName` (replacing any earlier nomination); null or "" clears it. */
  set(pod: PodInfo, nodeName: string | null): void {
    const cur = pod.nominatedNodeName;
    if (cur !== null) {
      const list = this.byNode.get(cur);
      const i = list === undefined ? -1 : list.indexOf(pod);
      if (list !== undefined && i >= 0) {
        list.splice(i, 1);
        this.count--;
        if (list.length === 0) this.byNode.delete(cur);
      }
    }
    pod.nominatedNodeName = nodeName === '' ? null : nodeName;
    if (pod.nominatedNodeName !== null) {
      const list = this.byNode.get(pod.nominatedNodeName);
      if (list === undefined) this.byNode.set(pod.nominatedNodeName, [pod]);
      else list.push(pod);
      this.count++;
    }
  }

  remove(pod: PodInfo): void {
    this.set(pod, null);
  }
}

/** Runs a profile's filters on one node the way upstream RunFilterPluginsWithNominatedPods does:
 * when pods of equal or higher priority are nominated to the node, the filters run first with
 * them added (to a NodeInfo clone and a cloned CycleState, through the PreFilter AddPod
 * extensions) and, if that passes, again without them; both must pass. Nodes without such
 * nominated pods cost one plain filter run. `runs` counts calls (for the cycle cost model). */
export class FilterRunner {
  runs = 0;

  constructor(readonly nominator: PodNominator) {}

  run(fwk: Framework, state: CycleState, pod: PodInfo, node: NodeInfo, skip: ReadonlySet<string>): Verdict {
    this.runs++;
    const added = addNominatedPods(fwk, state, pod, node, this.nominator);
    if (added === null) return fwk.runFilters(state, pod, node, skip);
    if (added.error !== null) return added.error;
    const first = fwk.runFilters(added.state, pod, added.node, skip);
    if (first !== null && first.code !== Code.Success) return first;
    return fwk.runFilters(state, pod, node, skip);
  }
}

/** A node as the filters see it with the pods nominated to it of equal or higher priority than
 * `pod` added (upstream addGENominatedPods, pkg/scheduler/framework/runtime/framework.go), on a
 * clone of the node and of the cycle state (the PreFilter AddPod extensions updated); null when
 * no nominated pod applies (no allocation then: the common case). `error`: an AddPod
 * extension's Error, which ends the node's filtering. Used by the scheduler's filter runs,
 * preemption's dry runs and ksim explain alike. */
export function addNominatedPods(
  fwk: Framework,
  state: CycleState,
  pod: PodInfo,
  node: NodeInfo,
  nominator: PodNominator,
): { readonly node: NodeInfo; readonly state: CycleState; readonly error: Verdict } | null {
  const nominated = nominator.size === 0 ? undefined : nominator.forNode(node.name);
  if (nominated === undefined) return null;
  let nodeOut: NodeInfo | null = null;
  let stateOut: CycleState = state;
  for (const np of nominated) {
    if (np.priority < pod.priority || np.key === pod.key) continue;
    if (nodeOut === null) {
      nodeOut = node.clone();
      stateOut = state.clone();
    }
    nodeOut.addPodScratch(np);
    const v = runPreFilterExtension(fwk, 'AddPod', stateOut, pod, np, nodeOut);
    if (v !== null) return { node: nodeOut, state: stateOut, error: v };
  }
  return nodeOut === null ? null : { node: nodeOut, state: stateOut, error: null };
}

/**
 * Runs every PreFilter plugin's AddPod or RemovePod extension (upstream
 * RunPreFilterExtensionAddPod/RemovePod): plugins in state.skipFilterPlugins are left out, and a
 * failure is an Error whose message names the plugin as upstream's does.
 */
export function runPreFilterExtension(
  fwk: Framework,
  op: 'AddPod' | 'RemovePod',
  state: CycleState,
  pod: PodInfo,
  other: PodInfo,
  node: NodeInfo,
): Verdict {
  const skip = state.skipFilterPlugins;
  for (const p of fwk.preFilter as readonly PreFilterPlugin[]) {
    const ext = op === 'AddPod' ? p.addPod : p.removePod;
    if (ext === undefined || (skip.size > 0 && skip.has(p.name))) continue;
    const v = ext.call(p, state, pod, other, node);
    if (v !== null && v.code !== Code.Success) {
      return new Status(Code.Error, [`running ${op} on PreFilter plugin "${p.name}": ${v.message}`], p.name);
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// What the scheduler shares with preemption plugins beyond the FrameworkHandle

export interface SchedulerContext {
  /** Pods nominated to nodes (upstream PodNominator, reached through the framework handle). */
  readonly nominator: PodNominator;
  /** Filter runs that honour nominated pods (upstream RunFilterPluginsWithNominatedPods). */
  readonly filters: FilterRunner;
  /** The scheduler's seeded random stream (dry-run offsets). */
  readonly rng: RandomStream;
  /** True while the deletion of a preemption victim is in flight (upstream: the pod has a
   * deletionTimestamp and the DisruptionTarget condition with reason PreemptionByScheduler). */
  isTerminatingVictim(pod: PodInfo): boolean;
}

/** A plugin factory that also accepts the scheduler's context (see withSchedulerContext). */
export interface SchedulerAwareFactory extends PluginFactory {
  withSchedulerContext?: (ctx: SchedulerContext) => PluginFactory;
}

/** The registry with every factory that offers `withSchedulerContext` bound to `ctx`; the others
 * are unchanged. */
export function bindSchedulerContext(registry: ReadonlyMap<string, PluginFactory>, ctx: SchedulerContext): Map<string, PluginFactory> {
  const out = new Map<string, PluginFactory>();
  for (const [name, f] of registry) {
    const bind = (f as SchedulerAwareFactory).withSchedulerContext;
    out.set(name, typeof bind === 'function' ? bind(ctx) : f);
  }
  return out;
}

/** A cycle's filters and node-local scorers as the FitIndex asks for them (FitProbe); reused,
 * set for each use. */
class CycleProbe implements FitProbe {
  private fwk: Framework | null = null;
  private state: CycleState | null = null;
  private pod: PodInfo | null = null;
  private filters: readonly FilterPlugin[] = [];
  private scorers: readonly number[] = [];

  cycle(fwk: Framework, state: CycleState, pod: PodInfo, filters: readonly FilterPlugin[] | null, scorers: readonly number[] | null): void {
    this.fwk = fwk;
    this.state = state;
    this.pod = pod;
    if (filters !== null) this.filters = filters;
    if (scorers !== null) this.scorers = scorers;
  }

  passes(node: NodeInfo): boolean {
    const state = this.state as CycleState;
    const pod = this.pod as PodInfo;
    for (let i = 0; i < this.filters.length; i++) {
      const v = (this.filters[i] as FilterPlugin).filter(state, pod, node);
      if (v !== null && v.code !== Code.Success) return false;
    }
    return true;
  }

  scoreSum(node: NodeInfo): number {
    const fwk = this.fwk as Framework;
    let t = 0;
    for (let m = 0; m < this.scorers.length; m++) {
      const j = this.scorers[m] as number;
      const s = (fwk.score[j] as ScorePlugin).score(this.state as CycleState, this.pod as PodInfo, node);
      if (!isValidNodeScore(s)) return NaN;
      t += (fwk.scoreWeights[j] as number) * s;
    }
    return t;
  }
}
