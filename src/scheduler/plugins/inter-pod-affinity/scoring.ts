// InterPodAffinity PreScore / Score / NormalizeScore.
// Upstream pkg/scheduler/framework/plugins/interpodaffinity/scoring.go (v1.36): a node's raw
// score is the sum, over the topology domains it belongs to, of
//   + weight of the incoming pod's preferred affinity terms matched by existing pods there,
//   − weight of its preferred anti-affinity terms matched by existing pods there,
//   + hardPodAffinityWeight for existing pods' required affinity terms matching the incoming pod,
//   ± weight of existing pods' preferred (anti-)affinity terms matching the incoming pod;
// NormalizeScore maps [min, max] of the raw scores linearly onto [0, 100] (all 0 when equal).
import type { ClusterState } from '../../../cluster/cluster-state.js';
import type { NodeInfo } from '../../../cluster/node-info.js';
import type { PodInfo } from '../../../cluster/pod-info.js';
import type { CycleState } from '../../framework/cycle-state.js';
import { MAX_NODE_SCORE } from '../../framework/interfaces.js';
import { Code, Status, type Verdict } from '../../framework/status.js';
import { INTER_POD_AFFINITY } from './filtering.js';
import type { DomainCounts, InterPodAffinityIndex } from './index.js';
import { hasPreferredTerms, podTerms, termMatches } from './terms.js';

export const PRE_SCORE_STATE_KEY = `PreScore${INTER_POD_AFFINITY}`;

const SKIP = new Status(Code.Skip, [], INTER_POD_AFFINITY);

export interface ScoringArgs {
  readonly hardPodAffinityWeight: number;
  readonly ignorePreferredTermsOfExistingPods: boolean;
}

/** Upstream preScoreState.topologyScore, as weighted layers of index counts grouped by key. */
export class PreScoreState {
  readonly keys: string[] = [];
  readonly layers: DomainCounts[][] = [];
  readonly weights: number[][] = [];

  add(key: string, weight: number, counts: DomainCounts): void {
    let i = this.keys.indexOf(key);
    if (i < 0) {
      i = this.keys.length;
      this.keys.push(key);
      this.layers.push([]);
      this.weights.push([]);
    }
    (this.layers[i] as DomainCounts[]).push(counts);
    (this.weights[i] as number[]).push(weight);
  }

  /** Upstream's topologyScore has an entry: some term matched a pod on a node with its key. */
  get hasEntries(): boolean {
    for (const ls of this.layers) for (const m of ls) if (m.size > 0) return true;
    return false;
  }

  /** Sum over the node's domains. */
  score(labels: Readonly<Record<string, string>>): number {
    const keys = this.keys;
    let s = 0;
    for (let i = 0; i < keys.length; i++) {
      const v = labels[keys[i] as string];
      if (typeof v !== 'string') continue;
      const ls = this.layers[i] as DomainCounts[];
      const ws = this.weights[i] as number[];
      for (let j = 0; j < ls.length; j++) s += (ws[j] as number) * ((ls[j] as DomainCounts).get(v) ?? 0);
    }
    return s;
  }

  /** Every non-zero domain total as "key=value" → score (tests and explanations). */
  toRecord(): Record<string, number> {
    const out: [string, number][] = [];
    this.keys.forEach((key, i) => {
      const values = new Set<string>();
      for (const m of this.layers[i] as DomainCounts[]) for (const v of m.keys()) values.add(v);
      for (const v of values) {
        const n = this.score({ [key]: v });
        if (n !== 0) out.push([`${key}=${v}`, n]);
      }
    });
    return Object.fromEntries(out.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }
}

export function preScore(cluster: ClusterState, index: InterPodAffinityIndex, args: ScoringArgs, state: CycleState, pod: PodInfo): Verdict {
  const hasConstraints = hasPreferredTerms(pod.pod);
  // Optionally ignore existing pods' preferences when the incoming pod has none.
  if (args.ignorePreferredTermsOfExistingPods && !hasConstraints) return SKIP;
  const terms = podTerms(pod);
  if (terms.parseError !== null) {
    return new Status(Code.Error, [`failed to parse pod: ${terms.parseError}`], INTER_POD_AFFINITY);
  }
  const nsLabels = cluster.namespaceLabels(pod.namespace);
  // Made at the first layer: most pods of most runs have none and Skip.
  let s: PreScoreState | null = null;
  if (hasConstraints) {
    for (const w of terms.preferredAffinity) (s ??= new PreScoreState()).add(w.term.topologyKey, w.weight, index.watch([w.term]).countsFor(w.term.topologyKey));
    for (const w of terms.preferredAntiAffinity) (s ??= new PreScoreState()).add(w.term.topologyKey, -w.weight, index.watch([w.term]).countsFor(w.term.topologyKey));
  }
  const hard = args.hardPodAffinityWeight;
  if (hard > 0) {
    for (const g of index.requiredAffinity.values()) {
      if (g.counts.size > 0 && termMatches(g.term, pod.namespace, pod.labels, nsLabels)) (s ??= new PreScoreState()).add(g.term.topologyKey, hard, g.counts);
    }
  }
  for (const g of index.preferred.values()) {
    if (g.counts.size > 0 && termMatches(g.term, pod.namespace, pod.labels, nsLabels)) (s ??= new PreScoreState()).add(g.term.topologyKey, g.weight, g.counts);
  }
  if (s === null || !s.hasEntries) return SKIP;
  state.write(PRE_SCORE_STATE_KEY, s);
  return null;
}

export function score(state: CycleState, node: NodeInfo): number {
  const s = state.read<PreScoreState>(PRE_SCORE_STATE_KEY);
  return s === undefined ? 0 : s.score(node.labels);
}

export function normalizeScore(state: CycleState, scores: Float64Array): Verdict {
  const s = state.read<PreScoreState>(PRE_SCORE_STATE_KEY);
  if (s === undefined) return new Status(Code.Error, [`failed to read "${PRE_SCORE_STATE_KEY}" from cycleState: not found`], INTER_POD_AFFINITY);
  if (!s.hasEntries) return null;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < scores.length; i++) {
    const x = scores[i] as number;
    if (x > max) max = x;
    if (x < min) min = x;
  }
  const diff = max - min;
  for (let i = 0; i < scores.length; i++) {
    // float64(MaxNodeScore) * (float64(score-min) / float64(diff)), truncated to int64.
    scores[i] = diff > 0 ? Math.trunc(MAX_NODE_SCORE * (((scores[i] as number) - min) / diff)) : 0;
  }
  return null;
}
