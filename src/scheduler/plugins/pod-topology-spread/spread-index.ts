// The cluster index behind PodTopologySpread: for each (namespace, label selector) that some
// pod's constraints used, the number of matching placed pods per node, and per topology key the
// number per domain, all kept up to date on every placement and removal. PreFilter and PreScore
// read the counts instead of scanning every pod of every node (upstream's calPreFilterState /
// PreScore loops); the result is the same numbers upstream computes.
//
// A counter is created, by scanning the placed pods once, the first time a pod's constraint uses
// its (namespace, selector); its per-domain aggregates likewise on first use of a topology key.
// Node labels and taints are read when a node joins: nothing in ksim changes them afterwards.
// Node inclusion policies (the pod's node affinity / tolerations) are part of a domain set's
// identity, so every pod reads ready counts; sets and aggregates are bounded and evicted LRU.
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import { compileLabelSelector, type LabelMatcher } from '../../../api/labels.js';
import type { ClusterIndex, ClusterState } from '../../../cluster/cluster-state.js';
import type { NodeInfo } from '../../../cluster/node-info.js';
import type { PodInfo } from '../../../cluster/pod-info.js';

/** Upstream uses math.MaxInt32 as the minimum of an empty domain set. */
export const MAX_INT32 = 2147483647;

/** Most counters kept; the least recently used are dropped beyond that. */
const MAX_COUNTERS = 512;
/** Most domain aggregates kept per counter (distinct key sets / node inclusion filters). */
const MAX_AGGS_PER_COUNTER = 32;

/** Which nodes a constraint counts beyond having the topology keys (upstream
 * matchNodeInclusionPolicies: the pod's required node affinity and/or its tolerations). */
export interface NodeInclusion {
  /** Equal keys select equal nodes. */
  readonly key: string;
  matches(node: NodeInfo): boolean;
}

/** Pods of one namespace matching one selector. */
export class PodCounter {
  /** Placed matching pods per node, by NodeInfo.index (all 0 for a counter that counts nothing). */
  perNode: Int32Array;
  /** DomainAgg by domain-set id. */
  readonly aggs = new Map<string, DomainAgg>();
  lastUsed = 0;
  /** Dropped from the index (LRU): no longer kept up to date. */
  evicted = false;

  constructor(
    private readonly cluster: ClusterState,
    readonly namespace: string,
    readonly key: string,
    readonly matcher: LabelMatcher,
    /**
     * False when existing pods never count: a null selector (labels.Nothing()) matches none, and
     * upstream's countPodsMatchSelector returns 0 for an empty selector (labels.Everything())
     * through v1.36 (`if selector.Empty() { return 0 }`, common.go; fixed after 1.36 by #141340).
     */
    readonly live: boolean,
  ) {
    this.perNode = new Int32Array(Math.max(16, cluster.nodes.length * 2));
  }

  /** Matching pods placed on `node` (a node of the cluster, or a scratch clone of one). */
  countOn(node: NodeInfo): number {
    let i = node.index;
    if (this.cluster.nodes[i] !== node) {
      const m = this.cluster.nodeByName.get(node.name);
      if (m === undefined) return 0;
      i = m.index;
    }
    return i < this.perNode.length ? (this.perNode[i] as number) : 0;
  }

  /** Adds `delta` to the count of the node at `index`. */
  bump(index: number, delta: number): void {
    if (index >= this.perNode.length) this.grow(index + 1);
    this.perNode[index] = (this.perNode[index] as number) + delta;
  }

  grow(size: number): void {
    this.perNode = grown(this.perNode, size, 0);
  }

  /** The node at `index` left the cluster: later nodes move down one slot (ClusterState.removeNode). */
  removeSlot(index: number): void {
    dropSlot(this.perNode, index, 0);
  }
}

/** Each node's domain of one topology key as a small integer (its label value interned), by
 * NodeInfo.index, so that Filter and Score read two typed arrays per node instead of the node's
 * labels and a map keyed by the value. Ids are never reused: a value keeps its id after its
 * last node left. */
export class KeyDomains {
  private readonly ids = new Map<string, number>();
  /** Domain id of the node at each index; -1 when the node lacks the key. */
  nodeDomain: Int32Array;

  constructor(
    readonly key: string,
    nodes: readonly NodeInfo[],
  ) {
    this.nodeDomain = new Int32Array(Math.max(16, nodes.length * 2)).fill(-1);
    for (const n of nodes) this.nodeJoined(n);
  }

  /** The id of domain value `v` (a new one for a value not seen before). */
  idOf(v: string): number {
    let id = this.ids.get(v);
    if (id === undefined) this.ids.set(v, (id = this.ids.size));
    return id;
  }

  /** Records the domain of `n` at its index (a node that joined, or one whose labels changed). */
  nodeJoined(n: NodeInfo): void {
    const i = n.index;
    this.nodeDomain = grown(this.nodeDomain, i + 1, -1);
    const v = n.labels[this.key];
    this.nodeDomain[i] = typeof v === 'string' ? this.idOf(v) : -1;
  }

  /** The node at `index` left the cluster: later nodes move down one slot. */
  removeSlot(index: number): void {
    dropSlot(this.nodeDomain, index, -1);
  }
}

/** The nodes carrying every key of `requiredKeys` and passing `inclusion`, grouped by their value
 * of `key` (labels[key] ?? '' — a node without the key is in domain "" when it is not required). */
export class DomainSet {
  /** Number of qualifying nodes per domain value. */
  readonly nodeCount = new Map<string, number>();
  readonly aggs: DomainAgg[] = [];

  constructor(
    readonly id: string,
    readonly requiredKeys: readonly string[],
    readonly key: string,
    readonly inclusion: NodeInclusion | null,
    /** The nodes' domains of `key`, shared by every set over that key. */
    readonly domains: KeyDomains,
  ) {}

  qualifies(node: NodeInfo): boolean {
    const labels = node.labels;
    const ks = this.requiredKeys;
    for (let i = 0; i < ks.length; i++) if (typeof labels[ks[i] as string] !== 'string') return false;
    return this.inclusion === null || this.inclusion.matches(node);
  }

  valueOf(node: NodeInfo): string {
    const v = node.labels[this.key];
    return typeof v === 'string' ? v : '';
  }
}

/** Matching pods per domain of one DomainSet, with an exact running minimum. */
export class DomainAgg {
  /** Domain value → matching pods; every domain of the set is present (0 included). */
  readonly counts = new Map<string, number>();
  /** The same counts by domain id (KeyDomains); 0 for an id that is not a domain of the set. */
  byId: Int32Array = new Int32Array(8);
  /** 1 at the id of each domain of the set. */
  private member: Int32Array = new Int32Array(8);
  /** How many domains hold exactly k matching pods, at k (keeps `min` exact under ±1 updates).
   * An array, not a map: a pod placed or removed moves one domain between two counts, four map
   * operations per aggregate on every placement of a churn. */
  private hist: Int32Array = new Int32Array(8);
  min = MAX_INT32;
  lastUsed = 0;

  constructor(
    readonly set: DomainSet,
    readonly counter: PodCounter,
  ) {}

  /** Matching pods in the domain with id `d` (0 when it is not one of the set's). */
  countOfId(d: number): number {
    return d < this.byId.length ? (this.byId[d] as number) : 0;
  }

  /** Sets domain `v`'s count in both forms. */
  private put(v: string, c: number): void {
    const d = this.set.domains.idOf(v);
    this.byId = grown(this.byId, d + 1, 0);
    this.byId[d] = c;
    this.counts.set(v, c);
  }

  /** Domains holding `k` pods: `d` more. */
  private histAdd(k: number, d: number): void {
    if (k >= this.hist.length) this.hist = grown(this.hist, k + 1, 0);
    this.hist[k] = (this.hist[k] as number) + d;
  }

  /** The least count some domain holds (MAX_INT32 when there is no domain). */
  private histMin(): number {
    const h = this.hist;
    for (let k = 0; k < h.length; k++) if ((h[k] as number) > 0) return k;
    return MAX_INT32;
  }

  private setMember(v: string, yes: boolean): void {
    const d = this.set.domains.idOf(v);
    this.member = grown(this.member, d + 1, 0);
    this.member[d] = yes ? 1 : 0;
  }

  /** Rebuilds counts from the counter's per-node numbers (on creation). */
  init(nodes: readonly NodeInfo[]): void {
    for (const n of nodes) {
      if (!this.set.qualifies(n)) continue;
      const v = this.set.valueOf(n);
      if (!this.counts.has(v)) this.setMember(v, true);
      this.put(v, (this.counts.get(v) ?? 0) + this.counter.countOn(n));
    }
    for (const c of this.counts.values()) this.histAdd(c, 1);
    this.min = this.histMin();
  }

  addDomain(v: string): void {
    if (this.counts.has(v)) return;
    this.put(v, 0);
    this.setMember(v, true);
    this.histAdd(0, 1);
    this.min = 0;
  }

  removeDomain(v: string): void {
    const c = this.counts.get(v);
    if (c === undefined) return;
    this.counts.delete(v);
    this.byId[this.set.domains.idOf(v)] = 0;
    this.setMember(v, false);
    this.histAdd(c, -1);
    if (c === this.min && this.hist[c] === 0) this.min = this.histMin();
  }

  add(v: string, delta: 1 | -1): void {
    const old = this.counts.get(v);
    if (old === undefined) return; // not a domain of this set (cannot happen for qualifying nodes)
    this.moved(v, this.set.domains.idOf(v), old, delta);
  }

  /** add for a pod on the cluster's node `n` (qualifying for the set): its domain's id read from
   * the nodes' domains rather than looked up by value. */
  addOnNode(n: NodeInfo, delta: 1 | -1): void {
    const nodeDomain = this.set.domains.nodeDomain;
    const d = n.index < nodeDomain.length ? (nodeDomain[n.index] as number) : -1;
    // A node without the key is in domain "", which has no node id.
    if (d < 0 || d >= this.member.length || this.member[d] === 0) return this.add(this.set.valueOf(n), delta);
    this.moved(this.set.valueOf(n), d, this.byId[d] as number, delta);
  }

  /** Domain `v` (id `d`) goes from `old` matching pods to old + delta. */
  private moved(v: string, d: number, old: number, delta: 1 | -1): void {
    const cur = old + delta;
    this.byId[d] = cur;
    this.counts.set(v, cur);
    this.histAdd(old, -1);
    this.histAdd(cur, 1);
    if (cur < this.min) this.min = cur;
    else if (old === this.min && this.hist[old] === 0) this.min = cur;
  }
}

/** `a` when it holds `size` entries, else a copy at least twice as long, the new entries `fill`. */
function grown(a: Int32Array, size: number, fill: number): Int32Array {
  if (size <= a.length) return a;
  const b = new Int32Array(Math.max(size, a.length * 2));
  if (fill !== 0) b.fill(fill, a.length);
  b.set(a);
  return b;
}

/** Entry `index` leaves: the later entries move down one, the last becomes `fill`. */
function dropSlot(a: Int32Array, index: number, fill: number): void {
  if (index >= a.length) return;
  a.copyWithin(index, index + 1);
  a[a.length - 1] = fill;
}

export function histAdd(hist: Map<number, number>, k: number, d: number): void {
  const n = (hist.get(k) ?? 0) + d;
  if (n <= 0) hist.delete(k);
  else hist.set(k, n);
}

export function minKey(hist: Map<number, number>): number {
  let m = MAX_INT32;
  for (const k of hist.keys()) if (k < m) m = k;
  return m;
}

/** Bypass terminating pods (upstream countPodsMatchSelector, #87621). */
function isTerminating(p: PodInfo): boolean {
  return p.terminating;
}

const indexes = new WeakMap<ClusterState, SpreadIndex>();

export class SpreadIndex implements ClusterIndex {
  readonly readsPodLabels = true;
  private readonly counters = new Map<string, PodCounter>();
  /** Live counters by namespace: the ones a placement must be matched against. */
  private readonly liveByNamespace = new Map<string, PodCounter[]>();
  private readonly domainSets = new Map<string, DomainSet>();
  /** Node domains per topology key some set or score used. */
  private readonly keyDomains = new Map<string, KeyDomains>();
  private clock = 0;

  private constructor(private readonly cluster: ClusterState) {}

  /** The index of `cluster`, registered with it on first use. */
  static of(cluster: ClusterState): SpreadIndex {
    let ix = indexes.get(cluster);
    if (ix === undefined) {
      ix = new SpreadIndex(cluster);
      indexes.set(cluster, ix);
      cluster.addIndex(ix);
    }
    return ix;
  }

  get nodes(): readonly NodeInfo[] {
    return this.cluster.nodes;
  }

  /** Every node's domain of `key`, kept up to date from its first use. */
  domainsOf(key: string): KeyDomains {
    let kd = this.keyDomains.get(key);
    if (kd === undefined) this.keyDomains.set(key, (kd = new KeyDomains(key, this.cluster.nodes)));
    return kd;
  }

  /** The counter of (namespace, selector), created by scanning the placed pods. Throws the
   * selector's FieldError when it does not compile. */
  counter(namespace: string, key: string, selector: LabelSelector | null): PodCounter {
    const ck = `${namespace}\u0000${key}`;
    let c = this.counters.get(ck);
    if (c === undefined) {
      const matcher = compileLabelSelector(selector, 'labelSelector');
      const live = !matcher.matchesEverything && !matcher.matchesNothing;
      c = new PodCounter(this.cluster, namespace, ck, matcher, live);
      if (live) {
        for (const n of this.cluster.nodes) {
          let k = 0;
          for (const p of n.pods) if (p.namespace === namespace && !isTerminating(p) && matcher.matches(p.labels)) k++;
          if (k > 0) c.bump(n.index, k);
        }
        let l = this.liveByNamespace.get(namespace);
        if (l === undefined) this.liveByNamespace.set(namespace, (l = []));
        l.push(c);
      }
      if (this.counters.size >= MAX_COUNTERS) this.evict();
      this.counters.set(ck, c);
    }
    c.lastUsed = ++this.clock;
    return c;
  }

  /** Whether every constraint's counter is still this index's (none was evicted since the
   * constraints were built); marks them used, as counter() does. */
  holdsAll(constraints: readonly { readonly counter: PodCounter }[]): boolean {
    for (let i = 0; i < constraints.length; i++) if ((constraints[i] as { readonly counter: PodCounter }).counter.evicted) return false;
    for (let i = 0; i < constraints.length; i++) (constraints[i] as { readonly counter: PodCounter }).counter.lastUsed = ++this.clock;
    return true;
  }

  /** Whether `a` is still its counter's aggregate (not evicted); marks it used, as agg() does
   * when it finds it. */
  stillHolds(a: DomainAgg): boolean {
    if (a.counter.evicted || a.counter.aggs.get(a.set.id) !== a) return false;
    a.lastUsed = ++this.clock;
    return true;
  }

  /** Matching pods per value of `key` over the nodes carrying all of `requiredKeys` and passing
   * `inclusion` (null: every such node). */
  agg(counter: PodCounter, requiredKeys: readonly string[], key: string, inclusion: NodeInclusion | null): DomainAgg {
    const sk = `${requiredKeys.join('\u0000')}\u0001${key}\u0002${inclusion === null ? '' : inclusion.key}`;
    let a = counter.aggs.get(sk);
    if (a === undefined) {
      let set = this.domainSets.get(sk);
      if (set === undefined) {
        set = new DomainSet(sk, requiredKeys.slice(), key, inclusion, this.domainsOf(key));
        for (const n of this.cluster.nodes) {
          if (!set.qualifies(n)) continue;
          const v = set.valueOf(n);
          set.nodeCount.set(v, (set.nodeCount.get(v) ?? 0) + 1);
        }
        this.domainSets.set(sk, set);
      }
      if (counter.aggs.size >= MAX_AGGS_PER_COUNTER) this.evictAgg(counter);
      a = new DomainAgg(set, counter);
      a.init(this.cluster.nodes);
      set.aggs.push(a);
      counter.aggs.set(sk, a);
    }
    a.lastUsed = ++this.clock;
    return a;
  }

  private detach(a: DomainAgg): void {
    const set = a.set;
    const i = set.aggs.indexOf(a);
    if (i >= 0) set.aggs.splice(i, 1);
    if (set.aggs.length === 0) this.domainSets.delete(set.id);
  }

  private evictAgg(counter: PodCounter): void {
    let oldest: DomainAgg | null = null;
    for (const a of counter.aggs.values()) if (oldest === null || a.lastUsed < oldest.lastUsed) oldest = a;
    if (oldest === null) return;
    counter.aggs.delete(oldest.set.id);
    this.detach(oldest);
  }

  private evict(): void {
    const all = [...this.counters.values()].sort((a, b) => a.lastUsed - b.lastUsed);
    const drop = new Set(all.slice(0, all.length >> 1));
    for (const c of drop) {
      c.evicted = true;
      this.counters.delete(c.key);
      for (const a of c.aggs.values()) this.detach(a);
    }
    for (const [ns, l] of this.liveByNamespace) {
      const kept = l.filter((c) => !drop.has(c));
      if (kept.length === 0) this.liveByNamespace.delete(ns);
      else this.liveByNamespace.set(ns, kept);
    }
  }

  // ClusterIndex -------------------------------------------------------------

  nodeAdded(n: NodeInfo): void {
    for (const kd of this.keyDomains.values()) kd.nodeJoined(n);
    for (const set of this.domainSets.values()) {
      if (!set.qualifies(n)) continue;
      const v = set.valueOf(n);
      const c = set.nodeCount.get(v) ?? 0;
      set.nodeCount.set(v, c + 1);
      if (c === 0) for (const a of set.aggs) a.addDomain(v);
    }
  }

  nodeRemoved(n: NodeInfo): void {
    for (const set of this.domainSets.values()) {
      if (!set.qualifies(n)) continue;
      const v = set.valueOf(n);
      const c = (set.nodeCount.get(v) ?? 0) - 1;
      if (c > 0) {
        set.nodeCount.set(v, c);
        continue;
      }
      set.nodeCount.delete(v);
      for (const a of set.aggs) a.removeDomain(v);
    }
    // ClusterState.updateNode replays a node update as removed-then-added while the node keeps
    // its slot: only a node that really left shifts the later nodes' per-node counts down.
    // (Shifting on an update misattributed every later node's count: after a zone outage's
    // taints, hostname counts went negative and PodTopologySpread scored out of range.)
    if (this.cluster.nodes[n.index] !== n) {
      for (const c of this.counters.values()) c.removeSlot(n.index);
      for (const kd of this.keyDomains.values()) kd.removeSlot(n.index);
    }
  }

  podPlaced(p: PodInfo, n: NodeInfo): void {
    this.account(p, n, 1);
  }

  podRemoved(p: PodInfo, n: NodeInfo): void {
    this.account(p, n, -1);
  }

  /** A Terminating pod no longer counts (called before it is marked, while it still does). */
  podTerminating(p: PodInfo, n: NodeInfo): void {
    this.account(p, n, -1);
  }

  private account(p: PodInfo, n: NodeInfo, delta: 1 | -1): void {
    const l = this.liveByNamespace.get(p.namespace);
    if (l === undefined || isTerminating(p)) return;
    for (let i = 0; i < l.length; i++) {
      const c = l[i] as PodCounter;
      if (!c.matcher.matches(p.labels)) continue;
      c.bump(n.index, delta);
      for (const a of c.aggs.values()) {
        if (a.set.qualifies(n)) a.addOnNode(n, delta);
      }
    }
  }
}
