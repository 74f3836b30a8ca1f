// A node as the scheduler sees it: the v1 Node object, allocatable, and the running sums of what
// the pods placed on it request. Mirrors upstream framework.NodeInfo; sums are updated
// incrementally on every add/remove so filters and scorers read them in O(1).
import type { Node, Taint } from 'kubernetes-types/core/v1.js';
import type { Labels } from '../api/labels.js';
import type { HostPort, PodInfo } from './pod-info.js';
import { parseResourceList, Resource } from './resources.js';

export const ZONE_LABEL = 'topology.kubernetes.io/zone';
export const HOSTNAME_LABEL = 'kubernetes.io/hostname';

/** A node as queueing hints see it before or after a change (a NodeInfo is one; snapshots are
 * copies taken when the change commits). */
export interface NodeView {
  readonly name: string;
  readonly labels: Labels;
  readonly taints: readonly Taint[];
  readonly unschedulable: boolean;
  readonly ready: boolean;
  readonly allocatable: Resource;
}

/** The last generation handed out: generations are unique across every NodeInfo of the process
 * (clones included), so a cache keyed by node index and generation can never mistake one node's
 * books, or one state of them, for another's. */
let lastGeneration = 0;

/** A generation no NodeInfo has had yet. */
export function nextGeneration(): number {
  return ++lastGeneration;
}

export function snapshotNode(n: NodeView): NodeView {
  return { name: n.name, labels: n.labels, taints: n.taints, unschedulable: n.unschedulable, ready: n.ready, allocatable: n.allocatable };
}

/** The taints of a node without any: one shared list, whose length every filter reads. */
const NO_TAINTS: Taint[] = [];

export class NodeInfo implements NodeView {
  readonly name: string;
  labels: Labels;
  taints: readonly Taint[];
  unschedulable: boolean;
  readonly allocatable: Resource;
  readonly requested = new Resource();
  nonZeroMilliCpu = 0;
  nonZeroMemory = 0;
  /** Pods assumed or bound here and not terminated, in placement order. */
  readonly pods: PodInfo[] = [];
  /** Host ports in use: "protocol/ip/port" → number of pods holding it. */
  readonly usedPorts = new Map<string, number>();
  ready = true;
  /** Position in the scheduler's node order (ClusterState.schedulingNodes, upstream's nodeTree
   * list); set when that list is made. */
  treePos = -1;
  /** Changes (to a value no node has had: nextGeneration) on every change of this node: lets
   * callers cache per-node derived data. */
  generation = nextGeneration();
  /** Copies of the figures NodeResourcesFit's filter and the default scorers read for every node
   * of every cycle, kept on the node itself: reading them through `allocatable`, `requested` and
   * `pods` meant a cache miss per object per node on large clusters. `account` keeps them equal
   * to those (the invariant checker checks it). */
  podCount = 0;
  allowedPods: number;
  allocMilliCpu: number;
  allocMemory: number;
  allocEphemeral: number;
  reqMilliCpu = 0;
  reqMemory = 0;
  reqEphemeral = 0;

  /** `allocatable`: the node's, already parsed (a clone shares it: nothing changes it). */
  constructor(public node: Node, readonly pool: string, public index: number, allocatable?: Resource) {
    this.name = node.metadata?.name ?? '';
    this.labels = (node.metadata?.labels ?? {}) as Labels;
    this.taints = node.spec?.taints ?? NO_TAINTS;
    this.unschedulable = node.spec?.unschedulable === true;
    this.ready = readyInStatus(node) !== false;
    this.allocatable =
      allocatable ??
      parseResourceList(
        (node.status?.allocatable ?? node.status?.capacity) as Record<string, string> | undefined,
        'status.allocatable',
      );
    this.allowedPods = this.allocatable.allowedPodNumber;
    this.allocMilliCpu = this.allocatable.milliCpu;
    this.allocMemory = this.allocatable.memory;
    this.allocEphemeral = this.allocatable.ephemeralStorage;
  }

  get zone(): string {
    return this.labels[ZONE_LABEL] ?? '';
  }

  /** A scratch copy with the same node and placements, for what-if filtering (preemption).
   * Pods are shared, not copied; adding/removing on the clone leaves this node untouched. */
  clone(): NodeInfo {
    // Allocatable is shared, not parsed again: preemption clones every candidate node per pod.
    const c = new NodeInfo(this.node, this.pool, this.index, this.allocatable);
    c.labels = this.labels;
    c.taints = this.taints;
    c.unschedulable = this.unschedulable;
    c.ready = this.ready;
    c.treePos = this.treePos;
    // The same books, copied rather than rebuilt pod by pod (preemption's dry run clones up to
    // a hundred nodes per preempting pod): the sums are exact integers, so equal either way.
    for (const p of this.pods) c.pods.push(p);
    c.requested.add(this.requested);
    c.podCount = this.podCount;
    c.reqMilliCpu = this.reqMilliCpu;
    c.reqMemory = this.reqMemory;
    c.reqEphemeral = this.reqEphemeral;
    c.nonZeroMilliCpu = this.nonZeroMilliCpu;
    c.nonZeroMemory = this.nonZeroMemory;
    for (const [k, n] of this.usedPorts) c.usedPorts.set(k, n);
    return c;
  }

  /** Adds a pod to a clone's books without touching the pod (what-if evaluation). */
  addPodScratch(p: PodInfo): void {
    this.pods.push(p);
    this.account(p, 1);
  }

  /** Removes a pod from a clone's books without touching the pod. */
  removePodScratch(p: PodInfo): void {
    const i = this.pods.indexOf(p);
    if (i < 0) return;
    this.pods.splice(i, 1);
    this.account(p, -1);
  }

  /** The books every add and remove keeps: requests, non-zero requests, host ports. */
  private account(p: PodInfo, sign: 1 | -1): void {
    const r = this.requested;
    r.add(p.requests, sign);
    this.podCount = this.pods.length;
    this.reqMilliCpu = r.milliCpu;
    this.reqMemory = r.memory;
    this.reqEphemeral = r.ephemeralStorage;
    this.nonZeroMilliCpu += sign * p.nonZeroMilliCpu;
    this.nonZeroMemory += sign * p.nonZeroMemory;
    for (const hp of p.hostPorts) {
      const k = portKey(hp);
      const n = (this.usedPorts.get(k) ?? 0) + sign;
      if (n <= 0) this.usedPorts.delete(k);
      else this.usedPorts.set(k, n);
    }
    this.generation = nextGeneration();
  }

  addPod(p: PodInfo): void {
    p.onBooks = true;
    this.pods.push(p);
    this.account(p, 1);
  }

  removePod(p: PodInfo): void {
    // Found by a scan of the list, not a slot kept on each pod: keeping slots meant rewriting
    // every later pod on removal, a cache miss per pod (2-3 % of a long churn run); the scan
    // reads only the list.
    const slot = p.onBooks ? this.pods.indexOf(p) : -1;
    if (slot < 0) throw new Error(`pod ${p.key} is not on node ${this.name}`);
    // Keep placement order: removal is rarer than placement and order is visible in outputs.
    this.pods.splice(slot, 1);
    p.onBooks = false;
    this.account(p, -1);
  }
}

export function portKey(hp: HostPort): string {
  return `${hp.protocol}/${hp.hostIP}/${hp.port}`;
}

/** A node's Ready condition as its status says (a snapshot's node): true for "True", false for
 * "False" or "Unknown" (the kubelet stopped posting), null when the node has no Ready condition
 * (a scenario's pool node): nodes are Ready unless their status says otherwise. */
export function readyInStatus(node: Node): boolean | null {
  const c = node.status?.conditions?.find((x) => x.type === 'Ready');
  return c === undefined ? null : c.status === 'True';
}
