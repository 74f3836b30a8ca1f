// gpu_allocation.csv and the GPU columns of summary.csv: after each pod's first scheduling
// attempt, how much GPU has arrived (Σ GPU requests of the pods created so far), how much is
// allocated on devices, and how much of the idle GPU is fragmented (FGD's measure over the
// typical pods). The summary bins the rows by arrived % of cluster GPU capacity as the FGD
// paper's analysis does (hkust-adsl/kubernetes-scheduler-simulator
// experiments/analysis/merge_alloc_discrete.py, merge_frag_ratio_discrete.py: percent rounded
// half to even, the mean of the rows in a bin, the neighbouring bins when it has none).
// The per-pod figures follow the simulator's ClusterGpuFragReport (pkg/simulator/analysis.go).
import type { ClusterState } from '../cluster/cluster-state.js';
import type { PodInfo } from '../cluster/pod-info.js';
import type { NodeInfo } from '../cluster/node-info.js';
import { gpuRequestOf, MILLI_PER_GPU, type GpuDevices, type GpuNode } from '../cluster/gpu-devices.js';
import type { TypicalPods } from '../cluster/gpu-fragmentation.js';
import type { AttemptRecord } from '../scheduler/scheduler.js';
import type { ClusterWatcher } from '../controlplane/api-server.js';
import type { RowSink } from './csv-output.js';
import type { TypedRow } from './schema.js';

/** Python's round(x): half to even. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x - Math.trunc(x)) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

interface NodeFrag {
  frag: number;
  /** The same over the GPU-requesting typical pods only. */
  fragGpu: number;
  idle: number;
}

/** Per-bin sums: bin → [rows, Σ allocated %, Σ fragmented %]. */
type Bins = Map<number, [number, number, number]>;

/** A typical pod shape as run.json lists it. */
export interface TypicalShapeFacts {
  readonly cpu_milli: number;
  readonly gpu_milli: number;
  readonly gpu_count: number;
  readonly models: readonly string[];
  /** Its frequency among the typical pods (Σ = 1). */
  readonly weight: number;
}

/** run.json's gpu_sharing. */
export interface GpuSharingFacts {
  /** The milli-GPU extended resource shared by device (Open-Gpu-Share's `resource`). */
  readonly resource: string;
  /** The typical pods of the last row of gpu_allocation.csv: all shapes (fragmented_*), and the
   * GPU-requesting ones (gpu_pods_fragmented_*); empty without a row. */
  readonly typical_pods: readonly TypicalShapeFacts[];
  readonly typical_gpu_pods: readonly TypicalShapeFacts[];
}

const shapeFacts = (t: TypicalPods | null): TypicalShapeFacts[] =>
  (t?.shapes ?? []).map((s) => ({ cpu_milli: s.cpuMilli, gpu_milli: s.gpuMilli, gpu_count: s.gpuCount, models: s.models, weight: Number(s.freq.toFixed(6)) }));

export class GpuAllocationCollector {
  private arrivedMilli = 0;
  private readonly seen = new Set<string>();
  private readonly cache = new Map<GpuNode, NodeFrag>();
  private fragSum = 0;
  private fragGpuSum = 0;
  private idleSum = 0;
  private capacity = 0;
  /** Nodes changed since the last row; `all`: nodes joined or left, measure everything. */
  private readonly dirty = new Set<GpuNode>();
  private all = true;
  private typ: TypicalPods | null = null;
  private typGpu: TypicalPods | null = null;
  private readonly bins: Bins = new Map();
  /** Every pod created counts its GPU request as arrived, whether or not it is one the devices
   * can hold (1,200 milli-GPU is neither a share of one device nor whole devices: it arrived). */
  readonly watcher: ClusterWatcher = {
    podAdded: (p: PodInfo) => {
      this.arrivedMilli += p.requests.getScalar(this.devices.resource);
    },
  };

  constructor(private readonly cluster: ClusterState, private readonly devices: GpuDevices, private readonly sink: RowSink) {
    devices.onChange = (g) => this.dirty.add(g);
    const mark = (_p: PodInfo, n: NodeInfo) => {
      const g = devices.node(n);
      if (g !== undefined) this.dirty.add(g);
    };
    cluster.addIndex({ podPlaced: mark, podRemoved: mark, nodeAdded: () => void (this.all = true), nodeRemoved: () => void (this.all = true), nodeUpdated: () => void (this.all = true) });
  }

  /** A scheduling attempt ended: the pod's first one makes a row. */
  attempt(r: AttemptRecord): void {
    if (this.seen.has(r.pod.key)) return;
    this.seen.add(r.pod.key);
    const req = gpuRequestOf(r.pod, this.devices.resource);
    const podMilli = typeof req === 'string' ? r.pod.requests.getScalar(this.devices.resource) : req.count * req.milli;
    const { capacity, idle, frag, fragGpu } = this.measure();
    const allocated = capacity - idle;
    const arrivedPct = capacity > 0 ? (100 * this.arrivedMilli) / capacity : null;
    const allocatedPct = capacity > 0 ? (100 * allocated) / capacity : null;
    const fragPct = idle > 0 ? (100 * frag) / idle : null;
    const fragGpuPct = idle > 0 ? (100 * fragGpu) / idle : null;
    const bin = arrivedPct === null ? null : roundHalfEven(arrivedPct);
    if (bin !== null && allocatedPct !== null) {
      const b = this.bins.get(bin) ?? [0, 0, 0];
      b[0]++;
      b[1] += allocatedPct;
      b[2] += fragPct ?? 0;
      this.bins.set(bin, b);
    }
    const row: TypedRow = {
      time_s: r.timeUs / 1e6,
      pod: r.pod.name,
      namespace: r.pod.namespace,
      result: r.result,
      node: r.node,
      gpu_index: this.devices.devicesOf(r.pod)?.join('-') ?? '',
      pod_gpu_milli: podMilli,
      arrived_gpu_milli: this.arrivedMilli,
      allocated_gpu_milli: allocated,
      idle_gpu_milli: idle,
      fragmented_gpu_milli: Math.round(frag),
      capacity_gpu_milli: capacity,
      arrived_pct: arrivedPct,
      arrived_pct_bin: bin,
      allocated_pct: allocatedPct,
      fragmented_pct: fragPct,
      gpu_pods_fragmented_gpu_milli: Math.round(fragGpu),
      gpu_pods_fragmented_pct: fragGpuPct,
    };
    this.sink.add(row);
  }

  /** Capacity, idle and fragmented milli-GPU now. Sums are kept: only the nodes that changed
   * since the last row (devices, or CPU through a placement) are measured again. */
  private measure(): { capacity: number; idle: number; frag: number; fragGpu: number } {
    const typ = this.devices.typical(this.cluster);
    const typGpu = this.devices.typicalGpu(this.cluster);
    if (typ !== this.typ || typGpu !== this.typGpu || this.all) {
      this.typ = typ;
      this.typGpu = typGpu;
      this.all = false;
      this.cache.clear();
      this.dirty.clear();
      this.fragSum = 0;
      this.fragGpuSum = 0;
      this.idleSum = 0;
      this.capacity = 0;
      for (const g of this.devices.nodes()) {
        const f = typ.frag(g.cpuLeft, g.free, g.model);
        const fg = typGpu.frag(g.cpuLeft, g.free, g.model);
        this.cache.set(g, { frag: f, fragGpu: fg, idle: g.totalFree });
        this.fragSum += f;
        this.fragGpuSum += fg;
        this.idleSum += g.totalFree;
        this.capacity += g.devices * MILLI_PER_GPU;
      }
    } else if (this.dirty.size > 0) {
      for (const g of this.dirty) {
        const c = this.cache.get(g);
        if (c === undefined) continue;
        const f = typ.frag(g.cpuLeft, g.free, g.model);
        const fg = typGpu.frag(g.cpuLeft, g.free, g.model);
        this.fragSum += f - c.frag;
        this.fragGpuSum += fg - c.fragGpu;
        this.idleSum += g.totalFree - c.idle;
        c.frag = f;
        c.fragGpu = fg;
        c.idle = g.totalFree;
      }
      this.dirty.clear();
    }
    return { capacity: this.capacity, idle: this.idleSum, frag: Math.max(0, this.fragSum), fragGpu: Math.max(0, this.fragGpuSum) };
  }

  /** run.json's gpu_sharing. */
  facts(): GpuSharingFacts {
    return { resource: this.devices.resource, typical_pods: shapeFacts(this.typ), typical_gpu_pods: shapeFacts(this.typGpu) };
  }

  /** summary.csv's GPU columns. */
  summaryValues(): TypedRow {
    return {
      gpu_unallocated_at_100_pct: this.unallocatedAt(100),
      gpu_unallocated_at_130_pct: this.unallocatedAt(130),
      gpu_fragmentation_at_100_pct: this.binMean(100, 2),
    };
  }

  private unallocatedAt(pct: number): number | null {
    const a = this.binMean(pct, 1);
    return a === null ? null : 100 - a;
  }

  /** Mean of column `k` over the rows of bin `pct`, or of bins pct ± 1 when it has none. */
  private binMean(pct: number, k: 1 | 2): number | null {
    const b = this.bins.get(pct);
    if (b !== undefined) return b[k] / b[0];
    let n = 0;
    let s = 0;
    for (const q of [pct - 1, pct + 1]) {
      const x = this.bins.get(q);
      if (x === undefined) continue;
      n += x[0];
      s += x[k];
    }
    return n === 0 ? null : s / n;
  }
}
