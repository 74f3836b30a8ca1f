// InterPodAffinity PreFilter / Filter / PreFilterExtensions.
// Upstream pkg/scheduler/framework/plugins/interpodaffinity/filtering.go (v1.36): same state
// (three topology-pair counts), same Skip condition, reasons and codes; the counts come from the
// ClusterIndex (./index.ts) instead of a scan of every pod.
import type { Labels } from '../../../api/labels.js';
import type { ClusterState } from '../../../cluster/cluster-state.js';
import type { NodeInfo } from '../../../cluster/node-info.js';
import type { PodInfo } from '../../../cluster/pod-info.js';
import type { CycleState } from '../../framework/cycle-state.js';
import { Code, Status, type Verdict } from '../../framework/status.js';
import type { InterPodAffinityIndex } from './index.js';
import { podTerms, termMatches, type AffinityTerm, type PodTerms } from './terms.js';
import { TopologyCounts } from './topology-counts.js';

export const INTER_POD_AFFINITY = 'InterPodAffinity';
export const PRE_FILTER_STATE_KEY = `PreFilter${INTER_POD_AFFINITY}`;

// Reasons (filtering.go).
export const ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH = "node(s) didn't satisfy existing pods anti-affinity rules";
export const ERR_REASON_AFFINITY_RULES_NOT_MATCH = "node(s) didn't match pod affinity rules";
export const ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH = "node(s) didn't match pod anti-affinity rules";

// Filter: affinity → UnschedulableAndUnresolvable; anti-affinity and existing pods' anti-affinity
// → Unschedulable (preemption may help).
const REJECT_AFFINITY = new Status(Code.UnschedulableAndUnresolvable, [ERR_REASON_AFFINITY_RULES_NOT_MATCH], INTER_POD_AFFINITY);
const REJECT_ANTI_AFFINITY = new Status(Code.Unschedulable, [ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH], INTER_POD_AFFINITY);
const REJECT_EXISTING = new Status(Code.Unschedulable, [ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH], INTER_POD_AFFINITY);
const SKIP = new Status(Code.Skip, [], INTER_POD_AFFINITY);

/** Upstream preFilterState. */
export class PreFilterState {
  constructor(
    readonly pod: PodInfo,
    readonly terms: PodTerms,
    /** The incoming pod's namespace labels. */
    readonly nsLabels: Labels,
    /** Existing pods whose required anti-affinity terms match the incoming pod, per domain. */
    readonly existingAntiAffinityCounts: TopologyCounts,
    /** Existing pods matching all the incoming pod's required affinity terms, per domain (once per term). */
    readonly affinityCounts: TopologyCounts,
    /** Existing pods matching each of the incoming pod's required anti-affinity terms, per domain. */
    readonly antiAffinityCounts: TopologyCounts,
    /** keyIndex in affinityCounts of each required affinity term's topology key. */
    readonly affinityKeyIdx: readonly number[],
    /** keyIndex in antiAffinityCounts of each required anti-affinity term's topology key. */
    readonly antiKeyIdx: readonly number[],
    /** The pod matches all its own required affinity terms. */
    readonly matchesOwnAffinity: boolean,
  ) {}

  clone(): PreFilterState {
    return new PreFilterState(
      this.pod,
      this.terms,
      this.nsLabels,
      this.existingAntiAffinityCounts.clone(),
      this.affinityCounts.clone(),
      this.antiAffinityCounts.clone(),
      this.affinityKeyIdx,
      this.antiKeyIdx,
      this.matchesOwnAffinity,
    );
  }

  /** updateWithPod: counts as if `p` were added (multiplier 1) to / removed (−1) from `node`. */
  updateWithPod(cluster: ClusterState, p: PodInfo, node: NodeInfo, multiplier: number): void {
    const labels = node.labels;
    const other = podTerms(p);
    const self = this.pod;
    for (const t of other.requiredAntiAffinity) {
      if (!termMatches(t, self.namespace, self.labels, this.nsLabels)) continue;
      const v = labels[t.topologyKey];
      if (typeof v === 'string') this.existingAntiAffinityCounts.update(t.topologyKey, v, multiplier);
    }
    const otherNsLabels = cluster.namespaceLabels(p.namespace);
    const aff = this.terms.requiredAffinity;
    if (matchesAll(aff, p, otherNsLabels)) {
      for (const t of aff) {
        const v = labels[t.topologyKey];
        if (typeof v === 'string') this.affinityCounts.update(t.topologyKey, v, multiplier);
      }
    }
    for (const t of this.terms.requiredAntiAffinity) {
      if (!termMatches(t, p.namespace, p.labels, otherNsLabels)) continue;
      const v = labels[t.topologyKey];
      if (typeof v === 'string') this.antiAffinityCounts.update(t.topologyKey, v, multiplier);
    }
  }
}

/** podMatchesAllAffinityTerms: false for no terms. */
function matchesAll(terms: readonly AffinityTerm[], p: PodInfo, nsLabels: Labels): boolean {
  if (terms.length === 0) return false;
  for (const t of terms) if (!termMatches(t, p.namespace, p.labels, nsLabels)) return false;
  return true;
}

export function preFilter(cluster: ClusterState, index: InterPodAffinityIndex, state: CycleState, pod: PodInfo): Verdict {
  const terms = podTerms(pod);
  if (terms.parseError !== null) {
    return new Status(Code.UnschedulableAndUnresolvable, [`parsing pod: ${terms.parseError}`], INTER_POD_AFFINITY);
  }
  const nsLabels = cluster.namespaceLabels(pod.namespace);

  // Existing pods' required anti-affinity terms matching the incoming pod: one test per
  // distinct term (getExistingAntiAffinityCounts).
  let matched: TopologyCounts | null = null;
  for (const g of index.requiredAntiAffinity.values()) {
    if (g.counts.size > 0 && termMatches(g.term, pod.namespace, pod.labels, nsLabels)) (matched ??= new TopologyCounts()).addLayer(g.term.topologyKey, g.counts);
  }
  const aff = terms.requiredAffinity;
  const antiTerms = terms.requiredAntiAffinity;
  // Upstream's Skip: no terms of its own and no existing pod's anti-affinity term matching it
  // (a layer is only added with counts, so `matched` is empty exactly when it is null). Decided
  // before the counts below are made: most pods of most runs end here.
  if (aff.length === 0 && antiTerms.length === 0 && matched === null) return SKIP;
  const existing = matched ?? new TopologyCounts();

  // Existing pods matching the incoming pod's terms (getIncomingAffinityAntiAffinityCounts).
  const affinity = new TopologyCounts();
  const anti = new TopologyCounts();
  let affinityKeyIdx: number[] = [];
  let antiKeyIdx: number[] = [];
  let matchesOwnAffinity = false;
  if (aff.length > 0) {
    const w = index.watch(aff);
    for (const [key, counts] of w.counts) affinity.addLayer(key, counts);
    affinityKeyIdx = aff.map((t) => affinity.keyIndex(t.topologyKey));
    matchesOwnAffinity = matchesAll(aff, pod, nsLabels);
  }
  if (antiTerms.length > 0) {
    for (const t of antiTerms) anti.addLayer(t.topologyKey, index.watch([t]).countsFor(t.topologyKey));
    antiKeyIdx = antiTerms.map((t) => anti.keyIndex(t.topologyKey));
  }

  state.write(
    PRE_FILTER_STATE_KEY,
    new PreFilterState(pod, terms, nsLabels, existing, affinity, anti, affinityKeyIdx, antiKeyIdx, matchesOwnAffinity),
  );
  return null;
}

/** satisfyPodAffinity: every term's topology key is on the node and some matching pod is in
 * its domain — or no pod anywhere matches and the pod matches its own terms (first of a group). */
function satisfyPodAffinity(s: PreFilterState, labels: Labels): boolean {
  const terms = s.terms.requiredAffinity;
  const idx = s.affinityKeyIdx;
  let podsExist = true;
  for (let i = 0; i < terms.length; i++) {
    const v = labels[(terms[i] as AffinityTerm).topologyKey];
    if (typeof v !== 'string') return false;
    if (s.affinityCounts.getAt(idx[i] as number, v) <= 0) podsExist = false;
  }
  if (!podsExist) return s.matchesOwnAffinity && s.affinityCounts.isEmpty();
  return true;
}

/** satisfyPodAntiAffinity: no pod matching an anti-affinity term in the term's domain. */
function satisfyPodAntiAffinity(s: PreFilterState, labels: Labels): boolean {
  const terms = s.terms.requiredAntiAffinity;
  const idx = s.antiKeyIdx;
  for (let i = 0; i < terms.length; i++) {
    const v = labels[(terms[i] as AffinityTerm).topologyKey];
    if (typeof v === 'string' && s.antiAffinityCounts.getAt(idx[i] as number, v) > 0) return false;
  }
  return true;
}

export function filter(state: CycleState, node: NodeInfo): Verdict {
  const s = state.read<PreFilterState>(PRE_FILTER_STATE_KEY);
  if (s === undefined) {
    return new Status(Code.Error, [`error reading "${PRE_FILTER_STATE_KEY}" from cycleState: not found`], INTER_POD_AFFINITY);
  }
  const labels = node.labels;
  if (!satisfyPodAffinity(s, labels)) return REJECT_AFFINITY;
  if (!satisfyPodAntiAffinity(s, labels)) return REJECT_ANTI_AFFINITY;
  if (s.existingAntiAffinityCounts.anyPositive(labels)) return REJECT_EXISTING;
  return null;
}

/** AddPod / RemovePod: a no-op when PreFilter skipped (upstream skips the extensions then too). */
export function updateState(cluster: ClusterState, state: CycleState, p: PodInfo, node: NodeInfo, multiplier: number): Verdict {
  const s = state.read<PreFilterState>(PRE_FILTER_STATE_KEY);
  if (s !== undefined) s.updateWithPod(cluster, p, node, multiplier);
  return null;
}
