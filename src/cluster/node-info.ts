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

// Where each of a node's figures sits in its row of NodeBooks.
const PODS = 0;
const ALLOWED_PODS = 1;
const ALLOC_CPU = 2;
const ALLOC_MEMORY = 3;
const ALLOC_EPHEMERAL = 4;
const REQ_CPU = 5;
const REQ_MEMORY = 6;
const REQ_EPHEMERAL = 7;
const NON_ZERO_CPU = 8;
const NON_ZERO_MEMORY = 9;
/** NodeInfo.generation, kept in the row so that a pass over the rows can tell a node's changes
 * without reading the NodeInfo. */
const GENERATION = 10;
/** Row changes a NodeBooks remembers (a power of two). */
const CHANGE_LOG_SIZE = 8192;
/** Where NodeInfo.generation sits in a row (BooksOrder.rows). */
export const GENERATION_AT = GENERATION;
const ROW = 11;
/** The positions of a node's figures in NodeInfo.figures(). */
export const NODE_FIGURE = { pods: PODS, allocMilliCpu: ALLOC_CPU, reqMemory: REQ_MEMORY } as const;

/**
 * The figures NodeResourcesFit's filter and the default scorers read for every node of every
 * cycle, one row of doubles per node in one array: a cycle over thousands of nodes reads them
 * from a few contiguous kilobytes instead of from each NodeInfo, where memory sizes (not small
 * integers) were boxed doubles, one more object per figure (a 2,000-node trace replay took 3 %
 * less CPU). A cluster's nodes share one NodeBooks (ClusterState); a node made on its own (a
 * clone for preemption, a test) has its own.
 */
export class NodeBooks {
  rows: Float64Array;
  private used = 0;
  private readonly free: number[] = [];
  /** The offsets of the rows whose generation changed, the last CHANGE_LOG_SIZE of them (a ring;
   * kept only once a reader asked: trackChanges), and how many changes there were in all. */
  private log: Int32Array | null = null;
  private logged = 0;

  /** Starts keeping the change log (changeAt): a reader that follows the rows by their changes
   * instead of comparing every row's generation (the scheduler's FitIndex). */
  trackChanges(): void {
    if (this.log === null) this.log = new Int32Array(CHANGE_LOG_SIZE);
  }

  /** How many row changes there were (the number of the next one). */
  get changes(): number {
    return this.logged;
  }

  /** The offset of the row of change number `i`, or -1 when the log no longer (or never) held
   * it: the reader must then look at every row. */
  changeAt(i: number): number {
    if (this.log === null || i < this.logged - CHANGE_LOG_SIZE || i >= this.logged) return -1;
    return this.log[i & (CHANGE_LOG_SIZE - 1)] as number;
  }

  /** A row's generation changed. */
  noteChange(off: number): void {
    if (this.log !== null) this.log[this.logged & (CHANGE_LOG_SIZE - 1)] = off;
    this.logged++;
  }

  constructor(capacity = 1) {
    this.rows = new Float64Array(capacity * ROW);
  }

  /** A zeroed row's offset. */
  take(): number {
    const off = this.free.pop();
    if (off !== undefined) return off;
    if (this.used + ROW > this.rows.length) {
      const grown = new Float64Array(Math.max(ROW, this.rows.length * 2));
      grown.set(this.rows);
      this.rows = grown;
    }
    const at = this.used;
    this.used += ROW;
    return at;
  }

  /** Gives a row back (zeroed for its next node). */
  give(off: number): void {
    this.rows.fill(0, off, off + ROW);
    this.free.push(off);
  }
}

/** NodeResourcesFit's test on one row (offset `o` in `b`): room for one more pod asking for
 * `milliCpu`, `memory` and `ephemeral` (a positive request above what is left fails). */
function roomInRow(b: Float64Array, o: number, milliCpu: number, memory: number, ephemeral: number): boolean {
  return (
    (b[o + PODS] as number) + 1 <= (b[o + ALLOWED_PODS] as number) &&
    !(milliCpu > 0 && milliCpu > (b[o + ALLOC_CPU] as number) - (b[o + REQ_CPU] as number)) &&
    !(memory > 0 && memory > (b[o + ALLOC_MEMORY] as number) - (b[o + REQ_MEMORY] as number)) &&
    !(ephemeral > 0 && ephemeral > (b[o + ALLOC_EPHEMERAL] as number) - (b[o + REQ_EPHEMERAL] as number))
  );
}

/**
 * Nodes that share one NodeBooks, in some order (the scheduler's: ClusterState.booksInOrder),
 * as the offsets of their rows: a batch filter over thousands of nodes reads the figures without
 * going through each NodeInfo (a 2,000-node trace replay's resource filter took a quarter of
 * the time it took through NodeInfo.hasRoomFor).
 */
export class BooksOrder {
  constructor(
    private readonly books: NodeBooks,
    /** Position → offset of that node's row in `books`. */
    readonly offsets: Int32Array,
    /** Position → that node's NodeInfo.index. */
    readonly indexes: Int32Array,
  ) {
    let top = 0;
    for (let i = 0; i < offsets.length; i++) top = Math.max(top, offsets[i] as number);
    this.positionOf = new Int32Array(top / ROW + 1).fill(-1);
    for (let i = 0; i < offsets.length; i++) this.positionOf[(offsets[i] as number) / ROW] = i;
  }

  /** Row number (offset / ROW) → position, -1 for a row of no node of the order. */
  private readonly positionOf: Int32Array;

  /** The books the rows are in. */
  get booksOf(): NodeBooks {
    return this.books;
  }

  /** The position of the node whose row starts at `off`, or -1 when it is not in this order. */
  positionAt(off: number): number {
    const r = off / ROW;
    return r < this.positionOf.length ? (this.positionOf[r] as number) : -1;
  }

  /** The rows (to read a node's generation from a loop: rows()[offsets[i] + GENERATION_AT]). */
  rows(): Float64Array {
    return this.books.rows;
  }

  /** The first position in [from, to) whose node lacks room for one more pod asking for
   * `milliCpu`, `memory` and `ephemeral` (NodeInfo.hasRoomFor's test), or `to`. */
  nextWithoutRoom(from: number, to: number, milliCpu: number, memory: number, ephemeral: number): number {
    const b = this.books.rows;
    const offs = this.offsets;
    for (let i = from; i < to; i++) if (!roomInRow(b, offs[i] as number, milliCpu, memory, ephemeral)) return i;
    return to;
  }
}

/** The order of `nodes`' rows, all in `books` (ClusterState's, for its scheduling order). */
export function booksOrder(books: NodeBooks, nodes: readonly NodeInfo[]): BooksOrder {
  const offsets = new Int32Array(nodes.length);
  const indexes = new Int32Array(nodes.length);
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i] as NodeInfo;
    if (n.booksOf() !== books) throw new Error(`node ${n.name} keeps its figures elsewhere`);
    offsets[i] = n.booksOffset();
    indexes[i] = n.index;
  }
  return new BooksOrder(books, offsets, indexes);
}

export class NodeInfo implements NodeView {
  readonly name: string;
  labels: Labels;
  taints: readonly Taint[];
  unschedulable: boolean;
  readonly allocatable: Resource;
  readonly requested = new Resource();
  /** Pods assumed or bound here and not terminated, in placement order. */
  readonly pods: PodInfo[] = [];
  /** Host ports in use: "protocol/ip/port" → number of pods holding it. */
  readonly usedPorts = new Map<string, number>();
  ready = true;
  /** When it last turned Ready again (µs; -Infinity: Ready since before the run, or never not
   * Ready). Its pods' Ready condition turned True again then (the node lifecycle controller had
   * marked them not Ready): where their minReadySeconds counts from (availableFromUs). */
  readySinceUs = Number.NEGATIVE_INFINITY;
  /** Position in the scheduler's node order (ClusterState.schedulingNodes, upstream's nodeTree
   * list); set when that list is made. */
  treePos = -1;
  /** Where this node's figures are (see NodeBooks): copies of `allocatable`, `requested`,
   * `pods.length` and the non-zero requests that `account` keeps equal to them (the invariant
   * checker checks it). */
  private books: NodeBooks;
  private off: number;

  /** `allocatable`: the node's, already parsed (a clone shares it: nothing changes it).
   * `books`: the cluster's (the node's figures get a row there), or a new one of its own. */
  constructor(public node: Node, readonly pool: string, public index: number, allocatable?: Resource, books?: NodeBooks) {
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
    this.books = books ?? new NodeBooks();
    this.off = this.books.take();
    const b = this.books.rows;
    const o = this.off;
    b[o + GENERATION] = nextGeneration();
    b[o + ALLOWED_PODS] = this.allocatable.allowedPodNumber;
    b[o + ALLOC_CPU] = this.allocatable.milliCpu;
    b[o + ALLOC_MEMORY] = this.allocatable.memory;
    b[o + ALLOC_EPHEMERAL] = this.allocatable.ephemeralStorage;
  }

  /** Changes (to a value no node has had: nextGeneration) on every change of this node: lets
   * callers cache per-node derived data. */
  get generation(): number {
    return this.books.rows[this.off + GENERATION] as number;
  }
  set generation(g: number) {
    this.books.rows[this.off + GENERATION] = g;
    this.books.noteChange(this.off);
  }

  get podCount(): number {
    return this.books.rows[this.off + PODS] as number;
  }
  get allowedPods(): number {
    return this.books.rows[this.off + ALLOWED_PODS] as number;
  }
  get allocMilliCpu(): number {
    return this.books.rows[this.off + ALLOC_CPU] as number;
  }
  get allocMemory(): number {
    return this.books.rows[this.off + ALLOC_MEMORY] as number;
  }
  get allocEphemeral(): number {
    return this.books.rows[this.off + ALLOC_EPHEMERAL] as number;
  }
  get reqMilliCpu(): number {
    return this.books.rows[this.off + REQ_CPU] as number;
  }
  get reqMemory(): number {
    return this.books.rows[this.off + REQ_MEMORY] as number;
  }
  get reqEphemeral(): number {
    return this.books.rows[this.off + REQ_EPHEMERAL] as number;
  }
  /** Sum of the pods' requests with upstream's non-zero defaults for cpu and memory (scoring). */
  get nonZeroMilliCpu(): number {
    return this.books.rows[this.off + NON_ZERO_CPU] as number;
  }
  get nonZeroMemory(): number {
    return this.books.rows[this.off + NON_ZERO_MEMORY] as number;
  }

  /** Whether one more pod asking for `milliCpu`, `memory` and `ephemeral` (no extended
   * resources) passes NodeResourcesFit's checks here: a pod more than allowed, or a positive
   * request above what is left (its filter, node-resources-fit.ts, says which). The row is read
   * once, not once per figure as the getters do (its batch filter runs this for every node). */
  hasRoomFor(milliCpu: number, memory: number, ephemeral: number): boolean {
    return roomInRow(this.books.rows, this.off, milliCpu, memory, ephemeral);
  }

  /** The books holding this node's figures, and where its row starts (booksOrder). */
  booksOf(): NodeBooks {
    return this.books;
  }
  booksOffset(): number {
    return this.off;
  }

  /** This node's row of figures, as a view (the invariant checker's tests corrupt it through
   * this; nothing else writes it but `account`). Indexed by NODE_FIGURE. */
  figures(): Float64Array {
    return this.books.rows.subarray(this.off, this.off + ROW);
  }

  /** The node leaves its cluster: its figures move to a row of its own (whoever still holds
   * the node reads them unchanged) and the cluster's row is freed for a later node. */
  leaveBooks(): void {
    const own = new NodeBooks();
    const o = own.take();
    own.rows.set(this.books.rows.subarray(this.off, this.off + ROW), o);
    this.books.give(this.off);
    this.books = own;
    this.off = o;
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
    c.readySinceUs = this.readySinceUs;
    c.treePos = this.treePos;
    // The same books, copied rather than rebuilt pod by pod (preemption's dry run clones up to
    // a hundred nodes per preempting pod): the sums are exact integers, so equal either way.
    for (const p of this.pods) c.pods.push(p);
    c.requested.add(this.requested);
    c.books.rows.set(this.books.rows.subarray(this.off, this.off + ROW), c.off);
    c.generation = nextGeneration();
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
    removeAt(this.pods, i);
    this.account(p, -1);
  }

  /** The books every add and remove keeps: requests, non-zero requests, host ports. */
  private account(p: PodInfo, sign: 1 | -1): void {
    const r = this.requested;
    r.add(p.requests, sign);
    const b = this.books.rows;
    const o = this.off;
    b[o + PODS] = this.pods.length;
    b[o + REQ_CPU] = r.milliCpu;
    b[o + REQ_MEMORY] = r.memory;
    b[o + REQ_EPHEMERAL] = r.ephemeralStorage;
    b[o + NON_ZERO_CPU] = (b[o + NON_ZERO_CPU] as number) + sign * p.nonZeroMilliCpu;
    b[o + NON_ZERO_MEMORY] = (b[o + NON_ZERO_MEMORY] as number) + sign * p.nonZeroMemory;
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
    removeAt(this.pods, slot);
    p.onBooks = false;
    this.account(p, -1);
  }
}

/** `list.splice(i, 1)` without the array of removed items splice makes (an allocation per pod
 * leaving a node): the later items move down one, in order. */
function removeAt(list: PodInfo[], i: number): void {
  const last = list.length - 1;
  for (let k = i; k < last; k++) list[k] = list[k + 1] as PodInfo;
  list.pop();
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
