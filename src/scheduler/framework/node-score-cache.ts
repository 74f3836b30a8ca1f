// Per-node values kept across scheduling cycles, valid while a node's books are unchanged.
import type { NodeInfo } from '../../cluster/node-info.js';

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
