// TaintToleration: Filter rejects nodes with NoSchedule/NoExecute taints the pod does not
// tolerate; Score counts the node's PreferNoSchedule taints the pod does not tolerate, and
// NormalizeScore reverses the counts so fewer untolerated taints score higher.
// Upstream pkg/scheduler/framework/plugins/tainttoleration/taint_toleration.go (v1.35+: the Filter
// reason no longer names the taint). The TaintTolerationComparisonOperators feature gate (Gt/Lt
// tolerations) is alpha and off by default through v1.36, so such tolerations tolerate nothing,
// as src/api/taints.ts implements.
import type { Taint, Toleration } from 'kubernetes-types/core/v1.js';
import { ClassNumbers } from '../framework/class-numbers.js';
import { toleratesTaint } from '../../api/taints.js';
import type { NodeInfo } from '../../cluster/node-info.js';
import type { PodInfo } from '../../cluster/pod-info.js';
import type { CycleState } from '../framework/cycle-state.js';
import {
  MAX_NODE_SCORE,
  type FilterPlugin,
  type FilterRejections,
  type FrameworkHandle,
  type Plugin,
  type PreScorePlugin,
  type ScorePlugin,
} from '../framework/interfaces.js';
import { Status, type Verdict } from '../framework/status.js';
import { TaintToleration } from './names.js';
import { defaultNormalizeScore } from './helper/normalize-score.js';
import { NodeTaintCounts } from './helper/node-taint-counts.js';
import { ActionType, asNode, type ClusterEventWithHint, type EnqueueExtensions, type NodeView } from '../framework/events.js';

const PRE_SCORE_KEY = `PreScore${TaintToleration}`;

/** Upstream Filter's reason (taint_toleration.go, v1.35+). */
export const ERR_REASON_UNTOLERATED = 'node(s) had untolerated taint(s)';
const REJECT = Status.unresolvable(ERR_REASON_UNTOLERATED).withPlugin(TaintToleration);

const NO_TOLERATIONS: readonly Toleration[] = [];

interface PreScoreState {
  /** The pod's tolerations with effect PreferNoSchedule or no effect (getAllTolerationPreferNoSchedule). */
  readonly tolerationsPreferNoSchedule: readonly Toleration[];
}

function tolerates(tolerations: readonly Toleration[], taint: Taint): boolean {
  for (let i = 0; i < tolerations.length; i++) if (toleratesTaint(tolerations[i] as Toleration, taint)) return true;
  return false;
}

/** Empty effect means all effects, so it counts as PreferNoSchedule too (upstream getAllTolerationPreferNoSchedule). */
export function tolerationsPreferNoSchedule(tolerations: readonly Toleration[] | undefined): Toleration[] {
  const out: Toleration[] = [];
  for (const t of tolerations ?? NO_TOLERATIONS) {
    if (t.effect === undefined || t.effect === '' || t.effect === 'PreferNoSchedule') out.push(t);
  }
  return out;
}

/** Upstream countIntolerableTaintsPreferNoSchedule. */
function countIntolerablePreferNoSchedule(taints: readonly Taint[], tolerations: readonly Toleration[]): number {
  let n = 0;
  for (let i = 0; i < taints.length; i++) {
    const taint = taints[i] as Taint;
    if (taint.effect !== 'PreferNoSchedule') continue;
    if (!tolerates(tolerations, taint)) n++;
  }
  return n;
}


/** Upstream v1helper.FindMatchingUntoleratedTaint with DoNotScheduleTaintsFilterFunc: true when
 * some NoSchedule/NoExecute taint is not tolerated. */
function hasUntoleratedTaint(taints: readonly Taint[], pod: PodInfo): boolean {
  if (taints.length === 0) return false;
  const tolerations = pod.pod.spec?.tolerations ?? NO_TOLERATIONS;
  for (let i = 0; i < taints.length; i++) {
    const taint = taints[i] as Taint;
    if (taint.effect !== 'NoSchedule' && taint.effect !== 'NoExecute') continue;
    if (!tolerates(tolerations, taint)) return true;
  }
  return false;
}

export class TaintTolerationPlugin implements FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {
  readonly name = TaintToleration;

  filter(_state: CycleState, pod: PodInfo, node: NodeInfo): Verdict {
    return hasUntoleratedTaint(node.taints, pod) ? REJECT : null;
  }

  private readonly tolerationClasses = new ClassNumbers(2);

  private classTolerations: readonly Toleration[] | null = null;
  private tolerationClass = -1;

  /** FilterPlugin.nodeLocalFilterClass: the verdict reads the node's taints and the pod's
   * tolerations: class 0 while no node of the cluster has a NoSchedule or NoExecute taint (every
   * node passes), else one class per list of tolerations. */
  nodeLocalFilterClass(pod: PodInfo): number {
    if (this.counts !== null && this.counts.hardTainted === 0) return 0;
    const t = pod.pod.spec?.tolerations;
    if (t === undefined || t === null || t.length === 0) return 1;
    if (t !== this.classTolerations) {
      this.classTolerations = t;
      let text = '';
      for (const x of t) text += `${x.key ?? ''}\u0000${x.operator ?? ''}\u0000${x.value ?? ''}\u0000${x.effect ?? ''}\u0000${x.tolerationSeconds ?? ''}\u0001`;
      this.tolerationClass = this.tolerationClasses.of(text);
    }
    return this.tolerationClass;
  }

  /** `counts`: the cluster's (the plugin made by its factory); without them every node is looked at. */
  constructor(private readonly counts: NodeTaintCounts | null = null) {}

  filterNodes(_state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[], from: number, to: number, rejected: FilterRejections): number {
    // No node of the cluster has a NoSchedule or NoExecute taint: every one passes.
    if (this.counts !== null && this.counts.hardTainted === 0 && to > from && this.counts.covers(nodes[from] as NodeInfo)) return 0;
    let r = 0;
    for (let i = from; i < to; i++) {
      if (!hasUntoleratedTaint((nodes[i] as NodeInfo).taints, pod)) continue;
      rejected.at[r] = i;
      rejected.verdicts[r++] = REJECT;
    }
    return r;
  }

  /** Upstream EventsToRegister: Node/Add|UpdateNodeTaint (pod toleration updates do not happen
   * in ksim). */
  eventsToRegister(): readonly ClusterEventWithHint[] {
    return [{ event: { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeTaint }, hint: (pod, o, n) => isSchedulableAfterNodeChange(pod, asNode(o), asNode(n)) }];
  }

  /** Upstream PreScore never skips. */
  preScore(state: CycleState, pod: PodInfo): Verdict {
    const s: PreScoreState = { tolerationsPreferNoSchedule: tolerationsPreferNoSchedule(pod.pod.spec?.tolerations) };
    state.write(PRE_SCORE_KEY, s);
    return null;
  }

  /** score for every node (ScorePlugin.scoreNodes): most nodes have no taints. */
  /** The scores the last scoreNodes set all to 0 without looking at the nodes (null when it
   * looked): NormalizeScore then knows the answer too. */
  private zeroed: Float64Array | null = null;

  /** PreScorePlugin.scoredNodesIgnored: PreScore reads the pod only; constantScore the cluster's taint counts (the nodes only to
   * tell they are the cluster's). */
  scoredNodesIgnored(_state: CycleState, _pod: PodInfo): boolean {
    return true;
  }

  /** No node of the cluster has a PreferNoSchedule taint: every raw score is 0, which
   * NormalizeScore (reversed) makes the highest. */
  constantScore(_state: CycleState, _pod: PodInfo, nodes: readonly NodeInfo[]): number {
    return this.noSoftTaints(nodes) ? MAX_NODE_SCORE : -1;
  }

  private noSoftTaints(nodes: readonly NodeInfo[]): boolean {
    return this.counts !== null && this.counts.softTainted === 0 && nodes.length > 0 && this.counts.covers(nodes[0] as NodeInfo);
  }

  scoreNodes(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[], out: Float64Array): void {
    this.zeroed = null;
    // No node of the cluster has a PreferNoSchedule taint: every one scores 0.
    if (this.noSoftTaints(nodes)) {
      out.fill(0, 0, nodes.length);
      if (out.length === nodes.length) this.zeroed = out;
      return;
    }
    let tolerations: readonly Toleration[] | null = null;
    for (let i = 0; i < nodes.length; i++) {
      const taints = (nodes[i] as NodeInfo).taints;
      if (taints.length === 0) {
        out[i] = 0;
        continue;
      }
      tolerations ??= state.read<PreScoreState>(PRE_SCORE_KEY)?.tolerationsPreferNoSchedule ?? tolerationsPreferNoSchedule(pod.pod.spec?.tolerations);
      out[i] = countIntolerablePreferNoSchedule(taints, tolerations);
    }
  }

  score(state: CycleState, pod: PodInfo, node: NodeInfo): number {
    const taints = node.taints;
    if (taints.length === 0) return 0;
    // Upstream returns an Error without PreScore state; recomputing keeps Score usable on its own.
    const tolerations =
      state.read<PreScoreState>(PRE_SCORE_KEY)?.tolerationsPreferNoSchedule ?? tolerationsPreferNoSchedule(pod.pod.spec?.tolerations);
    return countIntolerablePreferNoSchedule(taints, tolerations);
  }

  normalizeScore(_state: CycleState, _pod: PodInfo, _nodes: readonly NodeInfo[], scores: Float64Array): Verdict {
    if (scores === this.zeroed) {
      // Every raw score was 0 (scoreNodes found no PreferNoSchedule taint in the cluster), so
      // reversed they are all the highest: what defaultNormalizeScore gives, without its pass.
      this.zeroed = null;
      scores.fill(MAX_NODE_SCORE);
      return null;
    }
    defaultNormalizeScore(MAX_NODE_SCORE, true, scores);
    return null;
  }
}

/** Queue when the node's taints went from not tolerated (or no node) to tolerated (upstream
 * isSchedulableAfterNodeChange). */
function isSchedulableAfterNodeChange(pod: PodInfo, before: NodeView | undefined, after: NodeView | undefined): 'Queue' | 'QueueSkip' {
  if (after === undefined) return 'QueueSkip';
  const wasUntolerated = before === undefined || hasUntoleratedTaint(before.taints, pod);
  return wasUntolerated && !hasUntoleratedTaint(after.taints, pod) ? 'Queue' : 'QueueSkip';
}

/** TaintToleration takes no args (upstream New ignores them); it counts the cluster's tainted
 * nodes. */
export function newTaintToleration(_args?: unknown, handle?: FrameworkHandle): Plugin {
  return new TaintTolerationPlugin(handle === undefined ? null : NodeTaintCounts.of(handle.cluster));
}
