// GPU sharing, device by device: a node offering the milli-GPU extended resource
// (default alibaba.com/gpu-milli, `N × 1000`) has N GPU devices of 1000 milli-GPU each; a pod
// asks for either a share of one device (request < 1000) or k whole devices (request = k × 1000).
// NodeResourcesFit checks the pooled sum; this index keeps what each device has left, which
// device(s) each placed pod holds (annotation alibaba.com/gpu-index, "3" or "0-1-2-3", as the
// FGD simulator's alibabacloud.com/gpu-index), and frees them when the pod leaves its node.
// Model: hkust-adsl/kubernetes-scheduler-simulator pkg/type/open-gpu-share/ (cache, utils/pod.go)
// and pkg/type/resource.go (NodeResource.MilliGpuLeftList, AllocateExclusiveGpuId).
import type { ClusterIndex, ClusterState } from './cluster-state.js';
import type { NodeInfo } from './node-info.js';
import type { PodInfo } from './pod-info.js';
import { TypicalPods, type PodShape } from './gpu-fragmentation.js';

export const GPU_MILLI_RESOURCE = 'alibaba.com/gpu-milli';
export const GPU_MODEL_LABEL = 'alibaba.com/gpu-model';
/** Devices a placed GPU pod holds: indexes joined by "-" (upstream DevIdSep). */
export const GPU_INDEX_ANNOTATION = 'alibaba.com/gpu-index';
export const MILLI_PER_GPU = 1000;

/** What a pod asks of the devices: `count` devices with `milli` free each (count 0: no GPU). */
export interface GpuRequest {
  readonly count: number;
  readonly milli: number;
}

export const NO_GPU: GpuRequest = { count: 0, milli: 0 };

/** A pod's device request from its milli-GPU request, or a string saying why it is not one. */
export function gpuRequestOf(p: PodInfo, resource: string): GpuRequest | string {
  const total = p.requests.getScalar(resource);
  if (total <= 0) return NO_GPU;
  if (total < MILLI_PER_GPU) return { count: 1, milli: total };
  if (total % MILLI_PER_GPU === 0) return { count: total / MILLI_PER_GPU, milli: MILLI_PER_GPU };
  return `a request of ${resource} below ${MILLI_PER_GPU} (a share of one GPU) or a multiple of ${MILLI_PER_GPU} (whole GPUs), got ${total}`;
}

/** The devices of one node. */
export class GpuNode {
  /** Milli-GPU left per device, by device index (never below 0). */
  readonly free: Int32Array;
  /** Milli-GPU held beyond a device's 1000, by device index: a cluster snapshot's running pods
   * whose annotation names a device already full (the cluster over-committed it). A pod leaving
   * such a device pays this down before the device has room again. */
  readonly over: Int32Array;
  totalFree: number;
  /** Bumped on every device change (caches key on it with NodeInfo.generation). */
  version = 0;
  /** Placed GPU pods by kind (upstream GpuAffinity: "share-gpu", "1-gpu", "2-gpu", ...). */
  readonly affinity = new Map<string, number>();

  constructor(readonly info: NodeInfo, devices: number, public model: string) {
    this.free = new Int32Array(devices).fill(MILLI_PER_GPU);
    this.over = new Int32Array(devices);
    this.totalFree = devices * MILLI_PER_GPU;
  }

  /** Books `milli` on device `i`; beyond its room (`overCommit`) the excess goes to `over`.
   * Returns the milli-GPU over-committed. */
  book(i: number, milli: number): number {
    const f = (this.free[i] as number) - milli;
    if (f >= 0) {
      this.free[i] = f;
      this.totalFree -= milli;
      return 0;
    }
    this.totalFree -= this.free[i] as number;
    this.free[i] = 0;
    this.over[i] = (this.over[i] as number) - f;
    return -f;
  }

  /** Gives `milli` back to device `i`: first off its over-commitment, the rest as room. */
  unbook(i: number, milli: number): void {
    const pay = Math.min(this.over[i] as number, milli);
    this.over[i] = (this.over[i] as number) - pay;
    this.free[i] = (this.free[i] as number) + milli - pay;
    this.totalFree += milli - pay;
  }

  get devices(): number {
    return this.free.length;
  }

  /** CPU the node has left (upstream MilliCpuLeft: allocatable − Σ requests). */
  get cpuLeft(): number {
    return this.info.allocatable.milliCpu - this.info.requested.milliCpu;
  }

  /** Devices with at least `milli` left. */
  countFitting(milli: number): number {
    let c = 0;
    for (let i = 0; i < this.free.length; i++) if ((this.free[i] as number) >= milli) c++;
    return c;
  }

  fits(req: GpuRequest): boolean {
    return req.count === 0 || this.countFitting(req.milli) >= req.count;
  }

  fullyFree(): number {
    return this.countFitting(MILLI_PER_GPU);
  }
}

/** Upstream GetGpuAffinityFromPodAnnotation. */
export function affinityTag(req: GpuRequest): string {
  if (req.count === 0) return 'no-gpu';
  return req.milli < MILLI_PER_GPU ? 'share-gpu' : `${req.count}-gpu`;
}

/** A pod's shape as the fragmentation measure sees it. */
export function podShape(p: PodInfo, req: GpuRequest): PodShape {
  return { cpuMilli: p.nonZeroMilliCpu, gpuMilli: req.milli, gpuCount: req.count, models: [] };
}

/** Whole-device pods take the lowest-indexed fully free devices (upstream AllocateExclusiveGpuId);
 * null when there are too few. */
export function exclusiveDevices(g: GpuNode, count: number): number[] | null {
  const ids: number[] = [];
  for (let i = 0; i < g.free.length && ids.length < count; i++) if (g.free[i] === MILLI_PER_GPU) ids.push(i);
  return ids.length === count ? ids : null;
}

/** Best fit (upstream allocateGpuIdBasedOnBestFit): a share goes to the device with the least
 * room that fits it (lowest index on ties); whole devices as exclusiveDevices. */
export function bestFitDevices(g: GpuNode, req: GpuRequest): number[] | null {
  if (req.milli >= MILLI_PER_GPU) return exclusiveDevices(g, req.count);
  let best = -1;
  for (let i = 0; i < g.free.length; i++) {
    const f = g.free[i] as number;
    if (f >= req.milli && (best < 0 || f < (g.free[best] as number))) best = i;
  }
  return best < 0 ? null : [best];
}

/** Worst fit (upstream allocateGpuIdBasedOnWorstFit): the device with the most room. */
export function worstFitDevices(g: GpuNode, req: GpuRequest): number[] | null {
  if (req.milli >= MILLI_PER_GPU) return exclusiveDevices(g, req.count);
  let best = -1;
  for (let i = 0; i < g.free.length; i++) {
    const f = g.free[i] as number;
    if (f >= req.milli && (best < 0 || f > (g.free[best] as number))) best = i;
  }
  return best < 0 ? null : [best];
}

/** Why an annotation's devices cannot be a pod's on a node of `devices` devices (null: they
 * can, room aside). */
function namedDevicesProblem(named: readonly number[] | null, req: GpuRequest, devices: number): string | null {
  if (named === null) return 'not a device list such as "3" or "0-1"';
  const out = named.filter((i) => i >= devices);
  if (out.length > 0) return `device ${out[0]} is not on the node, whose devices are 0–${devices - 1}`;
  if (new Set(named).size !== named.length) return `a device named twice`;
  if (named.length !== req.count) return `${named.length} device(s) for a request of ${req.count}`;
  return null;
}

/** `count` distinct devices with the most room (lowest index on ties); null when the node has
 * fewer. */
function mostRoom(g: GpuNode, count: number): number[] | null {
  if (count > g.devices) return null;
  const order = [...g.free.keys()].sort((a, b) => (g.free[b] as number) - (g.free[a] as number) || a - b);
  return order.slice(0, count).sort((a, b) => a - b);
}

/** "3" or "0-1" → [3] / [0, 1]; null when malformed. */
export function parseGpuIndex(s: string): number[] | null {
  if (!/^\d+(-\d+)*$/.test(s)) return null;
  return s.split('-').map(Number);
}

interface Held {
  readonly node: GpuNode;
  readonly ids: readonly number[];
  readonly milli: number;
  readonly tag: string;
}

/** Every GPU node's devices and every placed GPU pod's devices, kept with the placements. */
export class GpuDevices implements ClusterIndex {
  private readonly byName = new Map<string, GpuNode>();
  private readonly byInfo = new Map<NodeInfo, GpuNode>();
  /** By NodeInfo.index (null: no GPUs), for the per-node lookups of filters and scores. */
  private byIndex: (GpuNode | null)[] = [];
  private readonly held = new Map<string, Held>();
  /** The workload's typical pod shapes (FGD's fragmentation measure), when something knows them
   * (the alibaba-gpu-2023 trace entry publishes its pod list's). */
  typicalPods: TypicalPods | null = null;
  private learnt: TypicalPods | null = null;
  private learntAt = -1;
  /** Called after any device change of a node (metrics mark it for recount). */
  onChange: ((g: GpuNode) => void) | null = null;
  /** Nodes whose milli-GPU allocatable is not a whole number of devices, with that amount: the
   * remainder is on no device (the run warns: NodeResourcesFit counts it, the devices do not). */
  readonly unevenNodes = new Map<string, number>();

  constructor(readonly resource: string, readonly modelLabel: string = GPU_MODEL_LABEL) {}

  /** The typical pods: the published ones, else the shapes of the pods in the store (learnt
   * again whenever pods were created since). */
  typical(cluster: ClusterState): TypicalPods {
    if (this.typicalPods !== null) return this.typicalPods;
    const n = cluster.podsCreated + cluster.podsAtStart;
    if (this.learnt === null || this.learntAt !== n) {
      const shapes: PodShape[] = [];
      for (const p of cluster.pods.values()) {
        const r = gpuRequestOf(p, this.resource);
        if (typeof r !== 'string') shapes.push(podShape(p, r));
      }
      this.learnt = TypicalPods.fromPods(shapes);
      this.learntAt = n;
    }
    return this.learnt;
  }

  private learntGpu: TypicalPods | null = null;
  private learntGpuAt = -1;
  private publishedGpu: { from: TypicalPods; gpu: TypicalPods } | null = null;

  /** The typical pods among the GPU-requesting pods only (upstream TypicalPodsConfig
   * isInvolvedCpuPods: false, pkg/utils/frag.go GetTypicalPods): the fragmentation the GPU
   * pods see, without the CPU-only shapes that count every idle GPU as fragmented. From the
   * published typical pods: their GPU shapes, frequencies renormalised. */
  typicalGpu(cluster: ClusterState): TypicalPods {
    if (this.typicalPods !== null) {
      if (this.publishedGpu?.from !== this.typicalPods) this.publishedGpu = { from: this.typicalPods, gpu: this.typicalPods.gpuOnly() };
      return this.publishedGpu.gpu;
    }
    const n = cluster.podsCreated + cluster.podsAtStart;
    if (this.learntGpu === null || this.learntGpuAt !== n) {
      const shapes: PodShape[] = [];
      for (const p of cluster.pods.values()) {
        const r = gpuRequestOf(p, this.resource);
        if (typeof r !== 'string' && r.count > 0) shapes.push(podShape(p, r));
      }
      this.learntGpu = TypicalPods.fromPods(shapes);
      this.learntGpuAt = n;
    }
    return this.learntGpu;
  }

  /** The devices of node `n`; for a what-if copy of a node (NodeInfo.clone: preemption's
   * victim search, filtering with nominated pods), the devices as the copy's pods hold them. */
  node(n: NodeInfo): GpuNode | undefined {
    const g = this.byIndex[n.index];
    if (g === null) return undefined;
    if (g !== undefined && g.info === n) return g;
    const own = this.byInfo.get(n);
    if (own !== undefined) return own;
    const real = this.byName.get(n.name);
    return real === undefined ? undefined : this.whatIf(n, real);
  }

  /** What-if device views by copy, kept while the copy's placements do not change. */
  private readonly whatIfs = new WeakMap<NodeInfo, { generation: number; g: GpuNode }>();

  /** `real`'s devices less those of the pods taken off `copy` (victims), and with the pods
   * added to it (nominated pods, which hold no devices yet) placed best-fit; a copy whose
   * added pods do not fit has no room at all. */
  private whatIf(copy: NodeInfo, real: GpuNode): GpuNode {
    const cached = this.whatIfs.get(copy);
    if (cached !== undefined && cached.generation === copy.generation) return cached.g;
    const g = new GpuNode(copy, real.devices, real.model);
    g.free.set(real.free);
    g.over.set(real.over);
    g.totalFree = real.totalFree;
    const onCopy = new Set(copy.pods);
    for (const p of real.info.pods) {
      if (onCopy.has(p)) continue;
      const h = this.held.get(p.key);
      if (h === undefined || h.node !== real) continue;
      for (const id of h.ids) g.unbook(id, h.milli);
    }
    const onReal = new Set(real.info.pods);
    for (const p of copy.pods) {
      if (onReal.has(p)) continue;
      const req = gpuRequestOf(p, this.resource);
      if (typeof req === 'string' || req.count === 0) continue;
      const ids = bestFitDevices(g, req);
      if (ids === null) {
        g.free.fill(0);
        g.totalFree = 0;
        break;
      }
      for (const id of ids) g.free[id] = (g.free[id] as number) - req.milli;
      g.totalFree -= req.milli * ids.length;
    }
    this.whatIfs.set(copy, { generation: copy.generation, g });
    return g;
  }

  nodeNamed(name: string): GpuNode | undefined {
    return this.byName.get(name);
  }

  get nodeCount(): number {
    return this.byInfo.size;
  }

  /** GPU nodes in the order they joined. */
  nodes(): IterableIterator<GpuNode> {
    return this.byInfo.values();
  }

  /** Devices a pod holds, or undefined. */
  devicesOf(p: PodInfo): readonly number[] | undefined {
    return this.held.get(p.key)?.ids;
  }

  nodeAdded(n: NodeInfo): void {
    const milli = n.allocatable.getScalar(this.resource);
    if (milli % MILLI_PER_GPU !== 0) this.unevenNodes.set(n.name, milli);
    const devices = Math.floor(milli / MILLI_PER_GPU);
    this.byIndex[n.index] = null;
    if (devices <= 0) return;
    const g = new GpuNode(n, devices, n.labels[this.modelLabel] ?? '');
    this.byName.set(n.name, g);
    this.byInfo.set(n, g);
    this.byIndex[n.index] = g;
  }

  nodeRemoved(n: NodeInfo): void {
    this.byName.delete(n.name);
    this.byInfo.delete(n);
    // Later nodes moved down one index: rebuild (holes fall back to the map).
    this.byIndex = [];
    for (const g of this.byInfo.values()) this.byIndex[g.info.index] = g;
  }

  /** Readiness, taints and labels do not move devices (defined so the cluster does not replay
   * the node's pods through remove/add). */
  nodeUpdated(n: NodeInfo): void {
    const g = this.byInfo.get(n);
    if (g !== undefined) g.model = n.labels[this.modelLabel] ?? '';
  }

  /** What happened to bound pods whose devices could not be as their annotation says (or that
   * named none and found no room), one line each, in the order met (the run warns). */
  readonly placementNotes: string[] = [];

  /** A pod that names its devices (annotation) gets them; a pod already bound without one (a
   * cluster snapshot) gets a best fit; a pod the scheduler has just assumed gets its devices at
   * Reserve (assign). A bound pod (a snapshot's, running) keeps its share on the books whatever
   * its annotation says: devices it names that are full are over-committed (it runs there);
   * an annotation that names no usable devices (not a device list, a device the node lacks, the
   * wrong number, one twice) gets a best fit, else the devices with the most room,
   * over-committed; each case is noted (placementNotes). */
  podPlaced(p: PodInfo, n: NodeInfo): void {
    const g = this.byInfo.get(n);
    if (g === undefined || this.held.has(p.key)) return;
    const req = gpuRequestOf(p, this.resource);
    if (typeof req === 'string' || req.count === 0) return;
    const ann = p.pod.metadata?.annotations?.[GPU_INDEX_ANNOTATION];
    const named = ann === undefined ? null : parseGpuIndex(ann);
    const wrong = ann === undefined ? null : namedDevicesProblem(named, req, g.devices);
    if (named !== null && wrong === null && named.every((i) => (g.free[i] as number) >= req.milli)) {
      this.take(p, g, named, req);
      return;
    }
    if (!p.bound) return;
    const asked = `${req.count === 1 ? `${req.milli} milli-GPU` : `${req.count} whole GPUs`}`;
    const pod = `pod ${p.key} on node ${n.name} (${asked})`;
    if (named !== null && wrong === null) {
      // Valid devices without the room: the snapshot's cluster put it there, so it stays.
      const room = named.map((i) => g.free[i] as number);
      const over = this.take(p, g, named, req, true);
      this.placementNotes.push(`${pod} names GPU device(s) ${JSON.stringify(ann)} (${GPU_INDEX_ANNOTATION}), which had ${room.join(', ')} milli-GPU left: ksim keeps it there as the snapshot has it, over-committing the device(s) by ${over} milli-GPU: they count as full (gpu_allocation.csv's allocated_gpu_milli counts the device's 1000, not more) and have room again once ${over} milli-GPU of the pods there has left`);
      return;
    }
    const fit = bestFitDevices(g, req);
    const ids = fit ?? mostRoom(g, req.count);
    const said = ann === undefined ? `names no GPU device (${GPU_INDEX_ANNOTATION})` : `names GPU device(s) ${JSON.stringify(ann)} (${GPU_INDEX_ANNOTATION}): ${wrong}`;
    if (ids === null) {
      this.placementNotes.push(`${pod} ${said}; node ${n.name} has ${g.devices} device(s), fewer than it asks: ksim books none of its share on the devices`);
      return;
    }
    if (fit !== null) {
      this.assign(p, g, ids, req);
      if (ann !== undefined) this.placementNotes.push(`${pod} ${said}: ksim gave it device(s) ${ids.join('-')} (best fit) instead`);
      return;
    }
    const over = this.take(p, g, ids, req, true);
    this.annotate(p, ids);
    this.placementNotes.push(`${pod} ${said}, and no device of the node has the room for it: ksim put it on device(s) ${ids.join('-')}, those with the most room, over-committing them by ${over} milli-GPU`);
  }

  podRemoved(p: PodInfo): void {
    this.release(p);
  }

  /** Gives a pod devices of a node and records them on the pod (annotation). */
  assign(p: PodInfo, g: GpuNode, ids: readonly number[], req: GpuRequest): void {
    this.take(p, g, ids, req);
    this.annotate(p, ids);
  }

  private annotate(p: PodInfo, ids: readonly number[]): void {
    const md = (p.pod.metadata ??= {});
    // A new annotations object, not a write into the one it has: pods of one workload entry
    // share their manifest's (the next arrival then came with this pod's device).
    md.annotations = { ...md.annotations, [GPU_INDEX_ANNOTATION]: ids.join('-') };
  }

  /** Books the pod's devices; beyond their room only with `overCommit` (a snapshot's running
   * pod). Returns the milli-GPU over-committed. */
  private take(p: PodInfo, g: GpuNode, ids: readonly number[], req: GpuRequest, overCommit = false): number {
    let over = 0;
    for (const i of ids) {
      if (!overCommit && (g.free[i] as number) < req.milli) throw new Error(`GPU ${i} of node ${g.info.name} has ${g.free[i]} milli-GPU left, pod ${p.key} asks ${req.milli}`);
      over += g.book(i, req.milli);
    }
    g.version++;
    const tag = affinityTag(req);
    g.affinity.set(tag, (g.affinity.get(tag) ?? 0) + 1);
    this.held.set(p.key, { node: g, ids, milli: req.milli, tag });
    this.onChange?.(g);
    return over;
  }

  /** Frees the pod's devices (it left its node, or its reservation was undone). */
  release(p: PodInfo): void {
    const h = this.held.get(p.key);
    if (h === undefined) return;
    this.held.delete(p.key);
    const g = h.node;
    for (const i of h.ids) g.unbook(i, h.milli);
    g.version++;
    const c = (g.affinity.get(h.tag) ?? 0) - 1;
    if (c <= 0) g.affinity.delete(h.tag);
    else g.affinity.set(h.tag, c);
    this.onChange?.(g);
  }

  /** Σ devices × 1000 over the GPU nodes. */
  capacityMilli(): number {
    let s = 0;
    for (const g of this.byInfo.values()) s += g.devices * MILLI_PER_GPU;
    return s;
  }
}

const OF = new WeakMap<ClusterState, Map<string, GpuDevices>>();

/** The device index of a cluster for one milli-GPU resource: made and registered with the
 * cluster (fed its nodes and placements) on first use, then shared by the plugins and metrics. */
export function gpuDevicesOf(cluster: ClusterState, resource: string = GPU_MILLI_RESOURCE, modelLabel: string = GPU_MODEL_LABEL): GpuDevices {
  let m = OF.get(cluster);
  if (m === undefined) OF.set(cluster, (m = new Map()));
  let d = m.get(resource);
  if (d === undefined) {
    d = new GpuDevices(resource, modelLabel);
    m.set(resource, d);
    cluster.addIndex(d);
  }
  return d;
}

/** The device index if something made one (metrics use it without creating it). */
export function existingGpuDevices(cluster: ClusterState): GpuDevices[] {
  return [...(OF.get(cluster)?.values() ?? [])];
}
