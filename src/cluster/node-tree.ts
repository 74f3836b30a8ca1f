// The order in which the scheduler goes through the nodes: upstream's nodeTree
// (pkg/scheduler/backend/cache/node_tree.go), which the scheduler cache's snapshot lists its
// nodes from (backend/cache/cache.go updateNodeInfoSnapshotList). Nodes are grouped by zone
// (region and zone labels, utilnode.GetZoneKey); zones keep the order in which they first got a
// node (a zone that loses its last node leaves, and comes back at the end), nodes the order in
// which they joined their zone; the list takes one node of each zone in turn (a-0, b-0, a-1,
// b-1, ...). With one pool per zone, a cluster's first nodes are spread over the zones, so a
// search that stops after numFeasibleNodesToFind nodes sees every zone, as upstream's does.
import type { Labels } from '../api/labels.js';
import type { NodeInfo } from './node-info.js';

const ZONE = 'topology.kubernetes.io/zone';
const REGION = 'topology.kubernetes.io/region';
const BETA_ZONE = 'failure-domain.beta.kubernetes.io/zone';
const BETA_REGION = 'failure-domain.beta.kubernetes.io/region';

/** Upstream utilnode.GetZoneKey: "" without zone and region labels (the GA labels, else the
 * deprecated beta ones). */
export function zoneKey(labels: Labels): string {
  const region = labels[REGION] ?? labels[BETA_REGION] ?? '';
  const zone = labels[ZONE] ?? labels[BETA_ZONE] ?? '';
  if (region === '' && zone === '') return '';
  return `${region}:\u0000:${zone}`;
}

export class NodeTree {
  private readonly zones: string[] = [];
  private readonly byZone = new Map<string, NodeInfo[]>();
  /** Each node's zone key, as it was added (a label change moves it: update). */
  private readonly keyOf = new Map<NodeInfo, string>();
  private list: NodeInfo[] | null = [];

  add(n: NodeInfo): void {
    const key = zoneKey(n.labels);
    let nodes = this.byZone.get(key);
    if (nodes === undefined) {
      this.byZone.set(key, (nodes = []));
      this.zones.push(key);
    }
    nodes.push(n);
    this.keyOf.set(n, key);
    this.list = null;
  }

  remove(n: NodeInfo): void {
    const key = this.keyOf.get(n);
    if (key === undefined) return;
    this.keyOf.delete(n);
    const nodes = this.byZone.get(key) as NodeInfo[];
    nodes.splice(nodes.indexOf(n), 1);
    if (nodes.length === 0) {
      this.byZone.delete(key);
      this.zones.splice(this.zones.indexOf(key), 1);
    }
    this.list = null;
  }

  /** A node's labels changed: it moves to the end of its new zone when its zone changed
   * (upstream nodeTree.updateNode: removeNode, addNode). */
  update(n: NodeInfo): void {
    if (this.keyOf.get(n) === zoneKey(n.labels)) return;
    this.remove(n);
    this.add(n);
  }

  /** The nodes, one zone at a time in turn (upstream nodeTree.list); sets each NodeInfo's
   * treePos. The array is kept until the tree changes: do not modify it. */
  nodes(): readonly NodeInfo[] {
    if (this.list !== null) return this.list;
    const out: NodeInfo[] = [];
    const total = this.keyOf.size;
    for (let i = 0; out.length < total; i++) {
      for (const z of this.zones) {
        const nodes = this.byZone.get(z) as NodeInfo[];
        if (i < nodes.length) {
          const n = nodes[i] as NodeInfo;
          n.treePos = out.length;
          out.push(n);
        }
      }
    }
    this.list = out;
    return out;
  }
}
