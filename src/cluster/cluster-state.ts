// The state store: every node and pod the simulation knows, with per-node accounting and
// cluster-wide totals kept incrementally. It is the single source of truth that the API server
// model commits writes into; components read it, and change it only through the API server.
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { NodeTree } from './node-tree.js';
import { booksOrder, NodeBooks, NodeInfo, nextGeneration, type BooksOrder } from './node-info.js';
import type { PodInfo, PodPhase } from './pod-info.js';
import { hasResourceColumns, Resource } from './resources.js';
import type { Labels } from '../api/labels.js';
import type { ObjectOf, TypedKind, WorkloadObject } from './workload-object.js';

/** A lookup of nodes by name (ClusterState.nodeByName, ClusterState.lastKnownNodes). */
export interface NodeLookup {
  get(name: string): NodeInfo | undefined;
}

/** Derived data kept up to date with every placement (e.g. pods matching a selector per
 * topology domain). Registered with ClusterState.addIndex; all methods optional. */
export interface ClusterIndex {
  nodeAdded?(n: NodeInfo): void;
  nodeRemoved?(n: NodeInfo): void;
  /** A pod was placed on (assumed or bound to) a node. */
  podPlaced?(p: PodInfo, n: NodeInfo): void;
  /** A pod left a node (terminated, deleted, or its binding failed). */
  podRemoved?(p: PodInfo, n: NodeInfo): void;
  /** A placed pod started Terminating (it stays placed until it is gone): for indexes that stop
   * counting such pods (PodTopologySpread), called before the pod is marked. */
  podTerminating?(p: PodInfo, n: NodeInfo): void;
  /** A node's labels, taints, unschedulable flag or readiness changed. Indexes without this
   * method see the node (and its pods) removed before the change and added after it. */
  nodeUpdated?(n: NodeInfo): void;
  /** The index reads pods' labels: a placed pod whose labels change (a pod update,
   * ClusterState.setPodMetadata) is removed with its old labels and placed with its new ones.
   * Other indexes hear nothing of it (their figures do not depend on labels). */
  readonly readsPodLabels?: boolean;
}

/** What can change on a node after it joined. */
export interface NodeChange {
  readonly labels?: Labels;
  readonly taints?: NonNullable<NodeInfo['taints']>;
  readonly unschedulable?: boolean;
  readonly ready?: boolean;
  /** The stored v1 object as it becomes (an update of the whole Node: a ksim-events apply). */
  readonly node?: Node;
}

/** The object map, with an index by kind for the kinds asked about (thousands of Leases must
 * not slow down a lookup of the few PodDisruptionBudgets). Keys are kind/namespace/name. A
 * kind's index is made at its first query (ofKind, inNamespace) and kept up to date from then
 * on; kinds never asked about (Leases: every node renews its own every 10 s) have none, so
 * their writes touch one map, not two. */
export class ObjectStore extends Map<string, WorkloadObject> {
  /** The indexed kinds' objects by key. */
  private byKind?: Map<string, Map<string, WorkloadObject>>;
  /** Changes (set or delete) per kind, for caches derived from one kind's objects. */
  private versions?: Map<string, number>;
  private cleared = 0;
  /** inNamespace's groups per kind, with the kindVersion they were made at. */
  private groups?: Map<string, { version: number; byNamespace: Map<string, WorkloadObject[]> }>;

  override set(key: string, o: WorkloadObject): this {
    // Called by Map's constructor before fields exist (byKind undefined: nothing indexed yet).
    const old = super.get(key);
    super.set(key, o);
    if (old !== undefined && old.kind !== o.kind) {
      this.byKind?.get(old.kind)?.delete(key);
      this.bump(old.kind);
    }
    this.byKind?.get(o.kind)?.set(key, o);
    this.bump(o.kind);
    return this;
  }

  override delete(key: string): boolean {
    const o = super.get(key);
    if (o !== undefined) {
      this.byKind?.get(o.kind)?.delete(key);
      this.bump(o.kind);
    }
    return super.delete(key);
  }

  override clear(): void {
    super.clear();
    this.byKind?.clear();
    this.cleared++;
  }

  /**
   * A number that changes whenever an object of `kind` is added, replaced or deleted (and only
   * then): a cache of something derived from one kind's objects (the Services of a namespace,
   * the default PriorityClass) is fresh while this is what it was built at. The store's size
   * would not do: an update keeps it, and so does a delete followed by a create.
   */
  kindVersion(kind: string): number {
    return (this.versions?.get(kind) ?? 0) + this.cleared;
  }

  /** The objects of `kind` in `namespace`, by name: grouped once per kindVersion (quota
   * admission and PodTopologySpread's default selector ask on every pod). */
  inNamespace(kind: string, namespace: string): readonly WorkloadObject[] {
    const version = this.kindVersion(kind);
    this.groups ??= new Map();
    let g = this.groups.get(kind);
    if (g === undefined || g.version !== version) {
      const byNamespace = new Map<string, WorkloadObject[]>();
      for (const o of this.indexOf(kind).values()) {
        let l = byNamespace.get(o.metadata.namespace);
        if (l === undefined) byNamespace.set(o.metadata.namespace, (l = []));
        l.push(o);
      }
      for (const l of byNamespace.values()) l.sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
      this.groups.set(kind, (g = { version, byNamespace }));
    }
    return g.byNamespace.get(namespace) ?? NONE;
  }

  private bump(kind: string): void {
    this.versions ??= new Map();
    this.versions.set(kind, (this.versions.get(kind) ?? 0) + 1);
  }

  /** The objects of `kind` by key (empty when there are none). */
  ofKind(kind: string): ReadonlyMap<string, WorkloadObject> {
    return this.indexOf(kind);
  }

  /** `kind`'s index, made from the whole map at its first query. */
  private indexOf(kind: string): Map<string, WorkloadObject> {
    this.byKind ??= new Map();
    let m = this.byKind.get(kind);
    if (m === undefined) {
      m = new Map();
      for (const [key, o] of super.entries()) if (o.kind === kind) m.set(key, o);
      this.byKind.set(kind, m);
    }
    return m;
  }
}

const NONE: readonly WorkloadObject[] = [];
const NO_PODS: ReadonlySet<PodInfo> = new Set();

/** Whether pod `p` fits node `n`'s free allocatable and pod count (the kubelet's admission,
 * GeneralPredicates: ApiServer.createPod places a pod created bound only when it fits). */
export function fits(n: NodeInfo, p: PodInfo): boolean {
  const a = n.allocatable;
  const used = n.requested;
  const r = p.requests;
  if (n.pods.length + 1 > a.allowedPodNumber) return false;
  if (used.milliCpu + r.milliCpu > a.milliCpu || used.memory + r.memory > a.memory || used.ephemeralStorage + r.ephemeralStorage > a.ephemeralStorage) return false;
  if (r.scalar !== null) for (const [k, v] of r.scalar) if (used.getScalar(k) + v > a.getScalar(k)) return false;
  return true;
}

/** The first resource pod `p` lacks on node `n` (the kubelet's admission: upstream
 * pkg/kubelet/lifecycle/predicate.go generalFilter → scheduler.AdmissionCheck → noderesources
 * fitsRequest, which checks the pod count, then — when the pod requests anything — cpu, memory,
 * ephemeral-storage and the extended resources, in that order; the kubelet reports the first):
 * the reason the kubelet writes (OutOfcpu, OutOfmemory, OutOfephemeral-storage, OutOfpods,
 * OutOf<name>) and its message, "Pod was rejected: Node didn't have enough resource: cpu,
 * requested: 5000, used: 0, capacity: 4000" (kubelet.go rejectPod, InsufficientResourceError;
 * cpu in millicores, memory and storage in bytes); null when it fits. */
export function admissionFailure(n: NodeInfo, p: PodInfo): { reason: string; message: string } | null {
  const a = n.allocatable;
  const used = n.requested;
  const r = p.requests;
  const failure = (name: string, requested: number, inUse: number, capacity: number) => ({
    reason: `OutOf${name}`,
    message: `Pod was rejected: Node didn't have enough resource: ${name}, requested: ${requested}, used: ${inUse}, capacity: ${capacity}`,
  });
  if (n.pods.length + 1 > a.allowedPodNumber) return failure('pods', 1, n.pods.length, a.allowedPodNumber);
  if (r.milliCpu > 0 && r.milliCpu > a.milliCpu - used.milliCpu) return failure('cpu', r.milliCpu, used.milliCpu, a.milliCpu);
  if (r.memory > 0 && r.memory > a.memory - used.memory) return failure('memory', r.memory, used.memory, a.memory);
  if (r.ephemeralStorage > 0 && r.ephemeralStorage > a.ephemeralStorage - used.ephemeralStorage) return failure('ephemeral-storage', r.ephemeralStorage, used.ephemeralStorage, a.ephemeralStorage);
  for (const k of r.scalarNames()) {
    const v = r.getScalar(k);
    if (v > 0 && v > a.getScalar(k) - used.getScalar(k)) return failure(k, v, used.getScalar(k), a.getScalar(k));
  }
  return null;
}

/** Label every namespace gets from the API server (kubernetes.io/metadata.name). */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

export class ClusterState {
  /** Nodes in the order they joined; NodeInfo.index is the position here. */
  readonly nodes: NodeInfo[] = [];
  readonly nodeByName = new Map<string, NodeInfo>();
  /** Live (not deleted) pods by namespace/name. */
  readonly pods = new Map<string, PodInfo>();
  /** A cluster snapshot's finished pods (phase Succeeded or Failed when it was taken), by
   * namespace/name: stored objects, so the ResourceQuota's count/pods counts them (upstream
   * PodUsageFunc charges count/pods for every stored pod) and the terminated-pod garbage collector
   * counts and deletes them (src/controllers/podgc.ts), and the garbage collector deletes them with
   * their owner, and the DaemonSet controller deletes its own (it reads them here at
   * startStateCommitted); nothing else sees them (no watcher is told of them: the scheduler,
   * kubelets, other controllers and metrics act as if they were not there, as upstream's do on
   * terminal pods that their owners have counted already). Not in `pods`, phaseCounts, podsAtStart or podsDeleted. */
  readonly finishedAtStart = new Map<string, PodInfo>();
  /** Sum of allocatable over all nodes, and of requests of pods placed on them. */
  readonly totalAllocatable = new Resource();
  readonly totalRequested = new Resource();
  readonly phaseCounts: Record<PodPhase, number> = { Pending: 0, Running: 0, Succeeded: 0, Failed: 0 };
  /** Workload objects (Deployments, ReplicaSets, PriorityClasses, PDBs, ...) by kind/namespace/name. */
  readonly objects = new ObjectStore();
  /** Labels of declared namespaces; undeclared ones have only the metadata.name label. */
  private readonly namespaces = new Map<string, Labels>();
  private readonly indexes: ClusterIndex[] = [];
  private readonly nodeTree = new NodeTree();
  /** The nodes' hot figures, one row each (NodeBooks). */
  private readonly books = new NodeBooks();
  podsCreated = 0;
  /** Pods of the start state (ApiServer.commitStartState): stored, not created by the run. */
  podsAtStart = 0;
  podsDeleted = 0;
  /** Pods being deleted and not gone yet. */
  terminatingCount = 0;
  /** Pods that ever reached Succeeded / Failed (cumulative counters: they do not drop when the
   * pod garbage collector deletes finished pods, so the time series needs no scan). */
  podsSucceededTotal = 0;
  podsFailedTotal = 0;
  /** Called after the totals change (time-weighted metrics integrate on it). */
  onTotalsChanged: (() => void) | null = null;

  /** The nodes in the order the scheduler goes through them: one zone at a time in turn
   * (upstream's nodeTree, node-tree.ts), not the order they joined. */
  schedulingNodes(): readonly NodeInfo[] {
    return this.nodeTree.nodes();
  }

  private order: BooksOrder | null = null;
  private orderOf: readonly NodeInfo[] | null = null;

  /** The rows of `list`'s nodes in its order when `list` is the current schedulingNodes()
   * (made once per such list), else null. */
  booksInOrder(list: readonly NodeInfo[]): BooksOrder | null {
    if (list !== this.nodeTree.nodes()) return null;
    if (list !== this.orderOf) {
      this.order = booksOrder(this.books, list);
      this.orderOf = list;
    }
    return this.order;
  }

  /** Registers an index and feeds it the current nodes and placements. */
  addIndex(ix: ClusterIndex): void {
    this.indexes.push(ix);
    for (const n of this.nodes) {
      ix.nodeAdded?.(n);
      for (const p of n.pods) ix.podPlaced?.(p, n);
    }
  }

  setNamespace(name: string, labels: Labels): void {
    this.namespaces.set(name, { ...labels, [NAMESPACE_NAME_LABEL]: name });
  }

  namespaceLabels(name: string): Labels {
    let l = this.namespaces.get(name);
    if (l === undefined) {
      l = { [NAMESPACE_NAME_LABEL]: name };
      this.namespaces.set(name, l);
    }
    return l;
  }

  /** Workload objects of one kind, in key order. */
  objectsOfKind<K extends TypedKind>(kind: K): ObjectOf<K>[];
  objectsOfKind(kind: string): WorkloadObject[];
  objectsOfKind(kind: string): WorkloadObject[] {
    const of = this.objects.ofKind(kind);
    return [...of].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, o]) => o);
  }

  /** Declared (or seen) namespace names, sorted. */
  namespaceNames(): string[] {
    return [...this.namespaces.keys()].sort();
  }

  /** Pods bound to a node name but on no node's books, by the node's name: those placed (bound,
   * or assumed by the scheduler) on a node when it was removed (removeNode), and those created
   * bound to a node they did not fit (unadmitted: ApiServer.createPod), which its kubelet's
   * admission refuses (src/kubelet/kubelet.ts). They keep their nodeName (spec.nodeName) and
   * their phase until they are deleted (upstream: the pod garbage collector's gcOrphaned,
   * src/controllers/podgc.ts), forgotten (an assumed pod's binding fails), admitted (a node of
   * that name joins again, addNode, or the kubelet finds room, admit). */
  private readonly orphans = new Map<string, Set<PodInfo>>();
  /** The removed node of each name in `orphans`, as it was when removed (readiness included). */
  private readonly orphanNodes = new Map<string, NodeInfo>();
  /** The nodes as the workload controllers judge their pods' readiness by: the live node of a
   * name, else the removed node that orphans are still bound to, as it was when removed. Upstream
   * nothing writes those pods' status when their Node object is deleted (the node lifecycle
   * controller only drops the node from knownNodeSet: pkg/controller/nodelifecycle/
   * node_lifecycle_controller.go monitorNodeHealth), so they keep phase Running and the Ready
   * condition last written — True unless the node had gone NotReady first (MarkPodsNotReady) —
   * and a ReplicaSet, Deployment, StatefulSet or DaemonSet counts them as before, until the pod
   * garbage collector fails them (podgc.ts). ksim's own availability metrics (AvailabilityTracker,
   * timeseries.csv's pods_available) count them unavailable from the deletion instead, reading
   * `nodeByName`. */
  readonly lastKnownNodes: NodeLookup = {
    get: (name: string): NodeInfo | undefined => this.nodeByName.get(name) ?? (this.orphanNodes.size === 0 ? undefined : this.orphanNodes.get(name)),
  };
  /** Nodes removed during the run, in order, with when (µs): nodes.csv's rows of deleted nodes. */
  readonly removedNodes: { readonly node: NodeInfo; readonly atUs: number }[] = [];

  /** Registers a node. Pods still bound to a removed node of the same name (orphans: the pod
   * garbage collector has not deleted them yet) are placed on the new node's books in the order
   * they were placed, those that fit its free allocatable and pod count (what the new kubelet's
   * admission checks: upstream's kubelet runs every pod whose spec.nodeName is its node); the
   * others stay orphans (orphansOf), for its kubelet to refuse. */
  addNode(node: Node, pool: string): NodeInfo {
    const name = node.metadata?.name ?? '';
    if (this.nodeByName.has(name)) throw new Error(`node ${name} already exists`);
    const ni = new NodeInfo(node, pool, this.nodes.length, undefined, this.books);
    this.nodes.push(ni);
    this.nodeTree.add(ni);
    this.nodeByName.set(name, ni);
    this.totalAllocatable.add(ni.allocatable);
    for (const ix of this.indexes) ix.nodeAdded?.(ni);
    const orphans = this.orphans.get(name);
    if (orphans !== undefined) {
      for (const p of [...orphans]) if (!p.terminal && fits(ni, p)) this.admit(p, ni);
    }
    this.onTotalsChanged?.();
    return ni;
  }

  /** Stores pod `p` bound to node `ni` without placing it on its books: created with
   * spec.nodeName on a node it does not fit (ApiServer.createPod), it waits, an orphan of a node
   * that exists (isOrphan), for that node's kubelet to refuse it, or to admit it (admit). */
  holdUnadmitted(p: PodInfo, ni: NodeInfo): void {
    if (p.nodeName !== null) throw new Error(`pod ${p.key} is already on ${p.nodeName}`);
    p.nodeName = ni.name;
    let set = this.orphans.get(ni.name);
    if (set === undefined) this.orphans.set(ni.name, (set = new Set()));
    set.add(p);
  }

  /** Places orphan `p` on the books of `ni`, the node of its name (a node that joined under a
   * removed one's name, or the kubelet that found room for an unadmitted pod). */
  admit(p: PodInfo, ni: NodeInfo): void {
    this.dropOrphan(p);
    p.nodeName = null;
    this.assume(p, ni);
  }

  /** Removes a node (the API server's delete of the Node object). Its pods are taken off its
   * books (their requests no longer count anywhere) but keep their nodeName, phase and binding:
   * they become orphans (orphansOf) until they are deleted. `atUs`: when (removedNodes). */
  removeNode(name: string, atUs = 0): NodeInfo {
    const ni = this.mustNode(name);
    if (ni.pods.length > 0) {
      let orphans = this.orphans.get(name);
      if (orphans === undefined) this.orphans.set(name, (orphans = new Set()));
      for (const p of [...ni.pods]) {
        this.unplace(p);
        orphans.add(p);
      }
    }
    if (this.orphans.has(name)) this.orphanNodes.set(name, ni);
    this.nodes.splice(ni.index, 1);
    for (let i = ni.index; i < this.nodes.length; i++) (this.nodes[i] as NodeInfo).index = i;
    ni.leaveBooks();
    this.nodeTree.remove(ni);
    this.nodeByName.delete(name);
    this.totalAllocatable.add(ni.allocatable, -1);
    for (const ix of this.indexes) ix.nodeRemoved?.(ni);
    this.removedNodes.push({ node: ni, atUs });
    this.onTotalsChanged?.();
    return ni;
  }

  /** The live pods placed on the removed node `name` when it went and not placed since (see
   * `orphans`); empty when there are none. */
  orphansOf(name: string): ReadonlySet<PodInfo> {
    return this.orphans.get(name) ?? NO_PODS;
  }

  /** Whether `p` is an orphan: placed on a node that was removed, and on no node since. */
  isOrphan(p: PodInfo): boolean {
    return p.nodeName !== null && !p.onBooks && this.orphans.get(p.nodeName)?.has(p) === true;
  }

  /** Every orphan's node name with its pods (the time series' unavailable pods). */
  orphanGroups(): ReadonlyMap<string, ReadonlySet<PodInfo>> {
    return this.orphans;
  }

  private dropOrphan(p: PodInfo): void {
    if (this.orphans.size === 0 || p.nodeName === null) return;
    const set = this.orphans.get(p.nodeName);
    if (set === undefined || !set.delete(p)) return;
    if (set.size === 0) this.dropOrphanNode(p.nodeName);
  }

  private dropOrphanNode(name: string): void {
    this.orphans.delete(name);
    this.orphanNodes.delete(name);
  }

  /** Changes a node (labels, taints, unschedulable, readiness) and tells every index. */
  updateNode(name: string, change: NodeChange): NodeInfo {
    const ni = this.mustNode(name);
    for (const ix of this.indexes) {
      if (ix.nodeUpdated !== undefined) continue;
      for (const p of ni.pods) ix.podRemoved?.(p, ni);
      ix.nodeRemoved?.(ni);
    }
    if (change.labels !== undefined) {
      ni.labels = change.labels;
      this.nodeTree.update(ni);
    }
    if (change.taints !== undefined) ni.taints = change.taints;
    if (change.unschedulable !== undefined) ni.unschedulable = change.unschedulable;
    if (change.ready !== undefined) ni.ready = change.ready;
    if (change.node !== undefined) ni.node = change.node;
    ni.generation = nextGeneration();
    for (const ix of this.indexes) {
      if (ix.nodeUpdated !== undefined) {
        ix.nodeUpdated(ni);
        continue;
      }
      ix.nodeAdded?.(ni);
      for (const p of ni.pods) ix.podPlaced?.(p, ni);
    }
    return ni;
  }

  mustNode(name: string): NodeInfo {
    const ni = this.nodeByName.get(name);
    if (ni === undefined) throw new Error(`unknown node ${name}`);
    return ni;
  }

  /** A pod update's new object (metadata.labels and annotations changed, as an update of a Pod
   * may change them: upstream ValidatePodUpdate): the indexes that read labels see the placed
   * pod leave with its old labels and come back with its new ones. */
  setPodMetadata(p: PodInfo, pod: Pod): void {
    const labels = (pod.metadata?.labels ?? p.labels) as Labels;
    const ni = labels !== p.labels && p.nodeName !== null && p.onBooks ? this.nodeByName.get(p.nodeName) : undefined;
    if (ni !== undefined) for (const ix of this.indexes) if (ix.readsPodLabels === true) ix.podRemoved?.(p, ni);
    p.labels = labels;
    p.pod = pod;
    if (ni !== undefined) for (const ix of this.indexes) if (ix.readsPodLabels === true) ix.podPlaced?.(p, ni);
  }

  /** Stores a pod; `created` false for pods of the start state (not counted in podsCreated). */
  addPod(p: PodInfo, created = true): void {
    if (this.pods.has(p.key)) throw new Error(`pod ${p.key} already exists`);
    this.pods.set(p.key, p);
    this.phaseCounts[p.phase]++;
    if (created) this.podsCreated++;
    else this.podsAtStart++;
  }

  /** Places a pod on a node's books (the scheduler's assume; later confirmed by the binding). */
  assume(p: PodInfo, ni: NodeInfo): void {
    if (p.nodeName !== null) throw new Error(`pod ${p.key} is already on ${p.nodeName}`);
    p.nodeName = ni.name;
    ni.addPod(p);
    this.totalRequested.add(p.requests);
    for (const ix of this.indexes) ix.podPlaced?.(p, ni);
    this.onTotalsChanged?.();
  }

  /** Takes a pod off its node's books (failed binding, termination, deletion). */
  unplace(p: PodInfo): void {
    if (p.nodeName === null || !p.onBooks) return;
    const ni = this.mustNode(p.nodeName);
    ni.removePod(p);
    this.totalRequested.add(p.requests, -1);
    for (const ix of this.indexes) ix.podRemoved?.(p, ni);
    this.onTotalsChanged?.();
  }

  forget(p: PodInfo): void {
    this.unplace(p);
    this.dropOrphan(p);
    p.nodeName = null;
    p.bound = false;
  }

  setPhase(p: PodInfo, phase: PodPhase): void {
    if (p.phase === phase) return;
    this.phaseCounts[p.phase]--;
    this.phaseCounts[phase]++;
    p.phase = phase;
    if (phase === 'Succeeded') this.podsSucceededTotal++;
    else if (phase === 'Failed') this.podsFailedTotal++;
    // Terminal pods no longer hold resources on their node.
    if (p.terminal) this.unplace(p);
  }

  /** Starts a graceful deletion: the pod stays on its node's books (its resources are held) but
   * indexes see it as terminating (PodTopologySpread no longer counts it). */
  markTerminating(p: PodInfo, nowUs: number, reason: string): void {
    if (p.deleted || p.deletionUs >= 0) return;
    const ni = p.nodeName !== null && p.onBooks ? this.nodeByName.get(p.nodeName) : undefined;
    if (ni !== undefined) for (const ix of this.indexes) ix.podTerminating?.(p, ni);
    p.deletionUs = nowUs;
    p.deletionReason = reason;
    this.terminatingCount++;
  }

  deletePod(p: PodInfo): void {
    if (p.deleted) return;
    if (p.deletionUs >= 0) this.terminatingCount--;
    this.unplace(p);
    this.dropOrphan(p);
    p.deleted = true;
    this.phaseCounts[p.phase]--;
    this.pods.delete(p.key);
    this.podsDeleted++;
  }

  /** Names of the extended resources any node offers, sorted. */
  extendedResourceNames(): string[] {
    return this.totalAllocatable.scalarNames().filter((r) => hasResourceColumns(r, this.totalAllocatable.getScalar(r)));
  }
}
