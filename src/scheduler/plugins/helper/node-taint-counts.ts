// How many of a cluster's nodes are cordoned or carry taints of each kind, kept as nodes join,
// change and leave. NodeUnschedulable's and TaintToleration's answer for a node that is not
// cordoned and has no taint of the kind they read is known (it passes; it scores 0), so when no
// node of the cluster has one they answer a whole batch of its nodes without looking at each.
import type { ClusterIndex, ClusterState } from '../../../cluster/cluster-state.js';
import type { NodeInfo } from '../../../cluster/node-info.js';

const CORDONED = 1;
/** A NoSchedule or NoExecute taint: TaintToleration's Filter reads these. */
const HARD_TAINT = 2;
/** A PreferNoSchedule taint: TaintToleration's Score reads these. */
const SOFT_TAINT = 4;

/** One index per cluster, shared by the plugins (and profiles) that read it. */
const byCluster = new WeakMap<ClusterState, NodeTaintCounts>();

export class NodeTaintCounts implements ClusterIndex {
  /** The cluster's index, made (and registered with the cluster) at the first call. */
  static of(cluster: ClusterState): NodeTaintCounts {
    let counts = byCluster.get(cluster);
    if (counts === undefined) byCluster.set(cluster, (counts = new NodeTaintCounts(cluster)));
    return counts;
  }

  /** Nodes with spec.unschedulable. */
  cordoned = 0;
  /** Nodes with a NoSchedule or NoExecute taint. */
  hardTainted = 0;
  /** Nodes with a PreferNoSchedule taint. */
  softTainted = 0;
  /** What each node was counted as, to take it back when the node changes or leaves. */
  private readonly counted = new Map<NodeInfo, number>();

  private constructor(private readonly cluster: ClusterState) {
    cluster.addIndex(this);
  }

  /** Whether `node` is one of the cluster's nodes (not a clone, nor another cluster's): the
   * counts say nothing of other nodes. A batch the scheduler filters or scores is of one
   * cluster's nodes, so its first node tells. */
  covers(node: NodeInfo): boolean {
    return this.cluster.nodeByName.get(node.name) === node;
  }

  nodeAdded(n: NodeInfo): void {
    const bits = bitsOf(n);
    this.counted.set(n, bits);
    this.add(bits, 1);
  }

  nodeRemoved(n: NodeInfo): void {
    this.add(this.counted.get(n) ?? 0, -1);
    this.counted.delete(n);
  }

  nodeUpdated(n: NodeInfo): void {
    this.nodeRemoved(n);
    this.nodeAdded(n);
  }

  private add(bits: number, by: number): void {
    if ((bits & CORDONED) !== 0) this.cordoned += by;
    if ((bits & HARD_TAINT) !== 0) this.hardTainted += by;
    if ((bits & SOFT_TAINT) !== 0) this.softTainted += by;
  }
}

function bitsOf(n: NodeInfo): number {
  let bits = n.unschedulable ? CORDONED : 0;
  for (const t of n.taints) {
    if (t.effect === 'NoSchedule' || t.effect === 'NoExecute') bits |= HARD_TAINT;
    else if (t.effect === 'PreferNoSchedule') bits |= SOFT_TAINT;
  }
  return bits;
}
