// Per-node values kept across scheduling cycles, valid while a node's books are unchanged.
import { GENERATION_AT, type BooksOrder, type NodeInfo } from '../../cluster/node-info.js';

/**
 * Scores by node, kept with the node's generation and a class of the pod: one scorer's
 * (ScorePlugin.scoreNodes of NodeResourcesFit and BalancedAllocation, the class that of the
 * pod's request vector, ResourceAllocation.classOf), or the weighted sum of a cycle's scorers
 * with a node-local class (schedule-one.ts, memoTotals). A score that depends only on the node's
 * books and the pod's class is reused while both are unchanged. Between two cycles only the few nodes that gained or lost
 * a pod change, and consecutive pods of a workload ask the same amounts, so most nodes of a cycle
 * are looked up instead of computed (the two scorers were half of a 5,000-node cycle).
 * Indexed by NodeInfo.index; generations are unique across all NodeInfos (clones included), so
 * an entry left by another node at that index never matches.
 */
export class NodeScoreCache {
  private generations = new Float64Array(0);
  private classes = new Int32Array(0);
  private scores = new Float64Array(0);

  /** The cached score of `node` for request class `cls`, or -1 when there is none. */
  get(node: NodeInfo, cls: number): number {
    const i = node.index;
    if (i < this.generations.length && this.generations[i] === node.generation && this.classes[i] === cls) return this.scores[i] as number;
    return -1;
  }

  /** Whether `node` has a cached score for class `cls` (a weighted sum may be negative: a
   * negative score weight). */
  has(node: NodeInfo, cls: number): boolean {
    const i = node.index;
    return i < this.generations.length && this.generations[i] === node.generation && this.classes[i] === cls;
  }

  /** From `nodes[from]` on, writes each node's cached score for class `cls` plus `base` into
   * `out` (parallel to `nodes`) up to the first node without one, and returns its position
   * (nodes.length when there is none): one loop over the arrays, not a `get` per node. */
  addCachedRun(nodes: readonly NodeInfo[], from: number, cls: number, base: number, out: Float64Array): number {
    const gens = this.generations;
    const classes = this.classes;
    const scores = this.scores;
    const len = gens.length;
    for (let i = from; i < nodes.length; i++) {
      const node = nodes[i] as NodeInfo;
      const x = node.index;
      if (x < len && gens[x] === node.generation && classes[x] === cls) out[i] = (scores[x] as number) + base;
      else return i;
    }
    return nodes.length;
  }

  /** addCachedRun for the nodes at `positions[from]` to `positions[n - 1]` of `order` (the
   * cluster's scheduling order, ClusterState.booksInOrder): index and generation read from
   * there, not from each NodeInfo. */
  addCachedRunAt(order: BooksOrder, positions: Int32Array, from: number, n: number, cls: number, base: number, out: Float64Array): number {
    const gens = this.generations;
    const classes = this.classes;
    const scores = this.scores;
    const len = gens.length;
    // Every array in a local: V8 reloads a field read in the loop after each store to `out`.
    const rows = order.rows();
    const offsets = order.offsets;
    const indexes = order.indexes;
    for (let i = from; i < n; i++) {
      const p = positions[i] as number;
      const x = indexes[p] as number;
      if (x < len && gens[x] === rows[(offsets[p] as number) + GENERATION_AT] && classes[x] === cls) out[i] = (scores[x] as number) + base;
      else return i;
    }
    return n;
  }

  set(node: NodeInfo, cls: number, score: number): void {
    const i = node.index;
    if (i >= this.generations.length) this.grow(i + 1);
    this.generations[i] = node.generation;
    this.classes[i] = cls;
    this.scores[i] = score;
  }

  private grow(n: number): void {
    const size = Math.max(n, 2 * this.generations.length, 64);
    const g = new Float64Array(size);
    const c = new Int32Array(size);
    const s = new Float64Array(size);
    g.set(this.generations);
    c.set(this.classes);
    s.set(this.scores);
    this.generations = g;
    this.classes = c;
    this.scores = s;
  }
}
