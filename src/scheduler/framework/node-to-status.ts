// The statuses of the nodes a failed scheduling cycle rejected, by node name (upstream
// framework.NodeToStatus, which PostFilter plugins receive). Held as the search's own parallel
// lists (in search order) rather than a hash table: a pod that fits nowhere in a 5,000-node
// cluster used to fill a 5,000-entry Map every attempt, the largest allocation of the
// Unschedulable workload. The by-name table is built only when a caller looks a node up.
import type { NodeInfo } from '../../cluster/node-info.js';
import type { Code, Status } from './status.js';

export class NodeToStatus implements ReadonlyMap<string, Status> {
  private byName: Map<string, Status> | null = null;

  /** `nodes[i]` was rejected with `statuses[i]`; each node at most once. The lists are kept. */
  constructor(
    private readonly nodes: readonly NodeInfo[],
    private readonly statuses: readonly Status[],
  ) {}

  /** Every node of `nodes` with the one status (a PreFilter rejection). */
  static every(nodes: readonly NodeInfo[], status: Status): NodeToStatus {
    return new NodeToStatus(nodes.slice(), new Array<Status>(nodes.length).fill(status));
  }

  get size(): number {
    return this.nodes.length;
  }

  get(name: string): Status | undefined {
    return this.table().get(name);
  }

  has(name: string): boolean {
    return this.table().has(name);
  }

  forEach(cb: (status: Status, name: string, map: ReadonlyMap<string, Status>) => void, thisArg?: unknown): void {
    for (let i = 0; i < this.nodes.length; i++) cb.call(thisArg, this.statuses[i] as Status, (this.nodes[i] as NodeInfo).name, this);
  }

  *entries(): MapIterator<[string, Status]> {
    for (let i = 0; i < this.nodes.length; i++) yield [(this.nodes[i] as NodeInfo).name, this.statuses[i] as Status];
  }

  *keys(): MapIterator<string> {
    for (const n of this.nodes) yield n.name;
  }

  *values(): MapIterator<Status> {
    yield* this.statuses;
  }

  [Symbol.iterator](): MapIterator<[string, Status]> {
    return this.entries();
  }

  /** The nodes whose status has `code`, in the scheduler's node order (by treePos; the search
   * order is that order rotated, which the sort merges in linear time). */
  nodesWithCode(code: Code): NodeInfo[] {
    const out: NodeInfo[] = [];
    let descents = 0;
    let cut = 0;
    for (let i = 0; i < this.nodes.length; i++) {
      if ((this.statuses[i] as Status).code !== code) continue;
      const n = this.nodes[i] as NodeInfo;
      if (out.length > 0 && n.treePos < (out[out.length - 1] as NodeInfo).treePos) {
        descents++;
        cut = out.length;
      }
      out.push(n);
    }
    if (descents === 0) return out;
    // One wrap-around and the tail still below the head: rotate; anything else is sorted.
    if (descents === 1 && (out[out.length - 1] as NodeInfo).treePos < (out[0] as NodeInfo).treePos) return out.slice(cut).concat(out.slice(0, cut));
    return out.sort((a, b) => a.treePos - b.treePos);
  }

  /** How many nodes have each distinct Status object (filters share one per failure kind). */
  countByStatus(): Map<Status, number> {
    const counts = new Map<Status, number>();
    const statuses = this.statuses;
    // Neighbours mostly share the Status: count runs, one map update per run.
    for (let i = 0; i < statuses.length; ) {
      const s = statuses[i] as Status;
      let j = i + 1;
      while (j < statuses.length && statuses[j] === s) j++;
      counts.set(s, (counts.get(s) ?? 0) + (j - i));
      i = j;
    }
    return counts;
  }

  private table(): Map<string, Status> {
    if (this.byName === null) {
      this.byName = new Map();
      for (let i = 0; i < this.nodes.length; i++) this.byName.set((this.nodes[i] as NodeInfo).name, this.statuses[i] as Status);
    }
    return this.byName;
  }
}

/** How many nodes give each failure reason (upstream FitError's histogram): nodes failing the
 * same way mostly share one Status object, so objects are counted first, then their reasons. */
export function reasonCounts(statuses: ReadonlyMap<string, Status>): Map<string, number> {
  let byStatus: Map<Status, number>;
  if (statuses instanceof NodeToStatus) byStatus = statuses.countByStatus();
  else {
    byStatus = new Map();
    for (const s of statuses.values()) byStatus.set(s, (byStatus.get(s) ?? 0) + 1);
  }
  const histogram = new Map<string, number>();
  for (const [s, k] of byStatus) for (const r of s.reasons) histogram.set(r, (histogram.get(r) ?? 0) + k);
  return histogram;
}
