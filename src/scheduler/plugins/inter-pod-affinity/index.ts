// The cluster-wide index InterPodAffinity reads instead of scanning every pod of every node each
// cycle (upstream iterates NodeInfo.PodsWithRequiredAntiAffinity / PodsWithAffinity / Pods in
// PreFilter and PreScore). Maintained incrementally from placements, shared by every profile of
// a cluster:
//  - existing pods' terms grouped by identical term: for each group, how many of its pod terms
//    sit in each domain of the term's topology key (required anti-affinity for Filter symmetry;
//    required affinity and preferred (anti-)affinity for Score symmetry). A cycle tests each
//    group's term once against the incoming pod instead of every pod's terms;
//  - "watches": for a conjunction of terms of some incoming pod (its required affinity terms, or
//    one required anti-affinity / preferred term), how many placed pods match per topology
//    domain. Built by one scan when first asked for, then kept up to date on every placement, so
//    the pods of a workload sharing a selector cost O(1) each. Least recently used watches are
//    dropped beyond WATCH_CAPACITY.
// Node labels are read at placement time (NodeInfo labels do not change while pods are placed).
// Namespace labels are read when a pod is placed (or a watch is built); relabelling a namespace
// later does not re-evaluate namespaceSelectors against pods already counted.
import type { ClusterIndex, ClusterState } from '../../../cluster/cluster-state.js';
import type { NodeInfo } from '../../../cluster/node-info.js';
import type { PodInfo } from '../../../cluster/pod-info.js';
import { podTerms, termMatches, type AffinityTerm } from './terms.js';

/** topology value → count; zero entries are deleted. */
export type DomainCounts = Map<string, number>;

export function addCount(m: DomainCounts, value: string, delta: number): void {
  const n = (m.get(value) ?? 0) + delta;
  if (n === 0) m.delete(value);
  else m.set(value, n);
}

/** Identical terms of placed pods, counted per domain of the term's topology key. */
export interface TermGroup {
  readonly term: AffinityTerm;
  /** Signed score weight for preferred terms (+ affinity, − anti-affinity); 1 otherwise. */
  readonly weight: number;
  readonly counts: DomainCounts;
  /** Pod terms in the group (including those on nodes lacking the topology key). */
  refs: number;
}

/** Placed pods matching every one of `terms`, counted once per term in the domain of its key. */
export class Watch {
  /** topology key → domain counts; one map per distinct key, never replaced. */
  readonly counts = new Map<string, DomainCounts>();

  constructor(readonly terms: readonly AffinityTerm[]) {
    for (const t of terms) if (!this.counts.has(t.topologyKey)) this.counts.set(t.topologyKey, new Map());
  }

  countsFor(topologyKey: string): DomainCounts {
    return this.counts.get(topologyKey) as DomainCounts;
  }

  matches(p: PodInfo, nsLabels: Readonly<Record<string, string>>): boolean {
    const terms = this.terms;
    for (let i = 0; i < terms.length; i++) {
      if (!termMatches(terms[i] as AffinityTerm, p.namespace, p.labels, nsLabels)) return false;
    }
    return true;
  }

  account(n: NodeInfo, delta: number): void {
    const terms = this.terms;
    for (let i = 0; i < terms.length; i++) {
      const tk = (terms[i] as AffinityTerm).topologyKey;
      const v = n.labels[tk];
      if (typeof v === 'string') addCount(this.counts.get(tk) as DomainCounts, v, delta);
    }
  }
}

/** Watched term conjunctions kept at most (each placement is tested against every watch). */
export const WATCH_CAPACITY = 64;

export class InterPodAffinityIndex implements ClusterIndex {
  readonly readsPodLabels = true;
  /** Existing pods' required anti-affinity terms (Filter: existing pods' anti-affinity). */
  readonly requiredAntiAffinity = new Map<string, TermGroup>();
  /** Existing pods' required affinity terms (Score: hardPodAffinityWeight symmetry). */
  readonly requiredAffinity = new Map<string, TermGroup>();
  /** Existing pods' preferred affinity (+weight) and anti-affinity (−weight) terms. */
  readonly preferred = new Map<string, TermGroup>();
  private readonly watches = new Map<string, Watch>();

  constructor(private readonly cluster: ClusterState) {}

  podPlaced(p: PodInfo, n: NodeInfo): void {
    this.account(p, n, 1);
  }

  podRemoved(p: PodInfo, n: NodeInfo): void {
    this.account(p, n, -1);
  }

  /** The watch for the conjunction of `terms` (non-empty), built on first use. */
  watch(terms: readonly AffinityTerm[]): Watch {
    const key = terms.length === 1 ? (terms[0] as AffinityTerm).key : terms.map((t) => t.key).join('\u0003');
    let w = this.watches.get(key);
    if (w !== undefined) {
      // Most recently used goes last.
      this.watches.delete(key);
      this.watches.set(key, w);
      return w;
    }
    w = new Watch(terms);
    for (const n of this.cluster.nodes) {
      for (const p of n.pods) if (w.matches(p, this.cluster.namespaceLabels(p.namespace))) w.account(n, 1);
    }
    this.watches.set(key, w);
    if (this.watches.size > WATCH_CAPACITY) {
      const oldest = this.watches.keys().next().value as string;
      this.watches.delete(oldest);
    }
    return w;
  }

  get watchCount(): number {
    return this.watches.size;
  }

  private account(p: PodInfo, n: NodeInfo, delta: number): void {
    if (this.watches.size > 0) {
      const nsLabels = this.cluster.namespaceLabels(p.namespace);
      for (const w of this.watches.values()) if (w.matches(p, nsLabels)) w.account(n, delta);
    }
    const t = podTerms(p);
    if (!t.any) return;
    for (const term of t.requiredAntiAffinity) group(this.requiredAntiAffinity, term.key, term, 1, n, delta);
    for (const term of t.requiredAffinity) group(this.requiredAffinity, term.key, term, 1, n, delta);
    for (const w of t.preferredAffinity) group(this.preferred, `+${w.weight}\u0004${w.term.key}`, w.term, w.weight, n, delta);
    for (const w of t.preferredAntiAffinity) group(this.preferred, `-${w.weight}\u0004${w.term.key}`, w.term, -w.weight, n, delta);
  }
}

function group(groups: Map<string, TermGroup>, key: string, term: AffinityTerm, weight: number, n: NodeInfo, delta: number): void {
  let g = groups.get(key);
  if (g === undefined) {
    if (delta < 0) return;
    g = { term, weight, counts: new Map(), refs: 0 };
    groups.set(key, g);
  }
  g.refs += delta;
  const v = n.labels[term.topologyKey];
  if (typeof v === 'string') addCount(g.counts, v, delta);
  if (g.refs <= 0) groups.delete(key);
}

const indexes = new WeakMap<ClusterState, InterPodAffinityIndex>();

/** The cluster's index, registered with it on first use (one per cluster, shared by profiles). */
export function interPodAffinityIndex(cluster: ClusterState): InterPodAffinityIndex {
  let ix = indexes.get(cluster);
  if (ix === undefined) {
    ix = new InterPodAffinityIndex(cluster);
    indexes.set(cluster, ix);
    cluster.addIndex(ix);
  }
  return ix;
}
